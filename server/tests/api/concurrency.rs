//! Imports at the same time (issue 9, docs/access-and-security.md): eight imports of
//! overlapping people, applied at once, on SQLite and PostgreSQL.

use crate::helpers::{import_at, roles_in, signed_in, Imported, TestApp};
use app::backend::entities::{outbox, user};
use app::domain::{Role, Roles};
use sea_orm::{EntityTrait, PaginatorTrait};

on_both_databases!(eight_imports_at_once_create_each_person_once_with_every_role_asked,);

const IMPORTS: usize = 8;
const PEOPLE: usize = 60;

/// Each person is in seven of the eight imports.
fn in_import(person: usize, import: usize) -> bool {
    person % IMPORTS != import
}

fn role_of(import: usize) -> Role {
    [Role::Mentor, Role::Mentee, Role::Teacher][import % 3]
}

/// Import `i`'s file, in an order of its own, so that imports meet the
/// same people at the same time and in different orders.
fn file(i: usize) -> String {
    let mut people: Vec<usize> = (0..PEOPLE).filter(|&p| in_import(p, i)).collect();
    if i % 2 == 1 {
        people.reverse();
    }
    let turn = i * 7 % people.len();
    people.rotate_left(turn);
    let mut text = String::from("First Name,Last Name,Email,Department\n");
    for p in people {
        text.push_str(&format!("Person,Number{p},Person{p}@Example.com,Sales\n"));
    }
    text
}

async fn run(app: &TestApp, i: usize) -> Imported {
    import_at(app, "engineering", &file(i), &[role_of(i)]).await
}

async fn eight_imports_at_once_create_each_person_once_with_every_role_asked(app: TestApp) {
    signed_in(&app).await;
    // Every batch answers 200 (`import` asserts it): no 500 from a race.
    let done = tokio::join!(
        run(&app, 0),
        run(&app, 1),
        run(&app, 2),
        run(&app, 3),
        run(&app, 4),
        run(&app, 5),
        run(&app, 6),
        run(&app, 7),
    );
    let done = [
        done.0, done.1, done.2, done.3, done.4, done.5, done.6, done.7,
    ];
    for (i, imported) in done.iter().enumerate() {
        let expected = (0..PEOPLE).filter(|&p| in_import(p, i)).count();
        assert_eq!(imported.rows.len(), expected, "import {i}");
        for row in &imported.rows {
            assert!(
                row.errors.is_empty(),
                "import {i}, line {}: {:?}",
                row.line,
                row.errors
            );
        }
    }
    let people = PEOPLE;
    assert_eq!(
        user::Entity::find().count(&app.db).await.unwrap() as usize,
        people,
        "each person once"
    );
    let created: u64 = done.iter().map(|d| d.counts.created).sum();
    assert_eq!(
        created as usize, people,
        "each person created by exactly one import"
    );
    let emails = outbox::Entity::find().count(&app.db).await.unwrap() as usize;
    assert_eq!(
        emails, people,
        "each person emailed once, by the import that added them"
    );
    for p in 0..people {
        let mut asked = Roles::empty();
        for i in 0..IMPORTS {
            if in_import(p, i) {
                asked = asked.with(role_of(i));
            }
        }
        let email = format!("person{p}@example.com");
        assert_eq!(
            roles_in(&app, &email, "engineering").await,
            Some(asked),
            "{email}: the union of the roles its imports asked for"
        );
    }
}
