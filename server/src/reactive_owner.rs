//! One reactive owner per request (issue 17).
//!
//! leptos keeps "the current owner" — where `use_context` looks, and what a
//! new `Owner` hangs under — in a thread-local. A page render makes a root
//! owner with `Owner::new_root`, which sets that thread-local and leaves it
//! set when the render waits for the database. Another request then polled
//! on the same worker thread inherits it: leptos_axum's static-file handler
//! makes `Owner::new()` under it, finds the page's `ResponseOptions` in
//! context and takes its headers onto the file's response, so the page went
//! out without its Content-Security-Policy (or its redirect, or its cookie).
//!
//! [`one_owner_per_request`] gives every request's future the thread-local
//! it would have had on a thread of its own: on each poll it puts back the
//! owner this request left behind (or none), and afterwards takes it away.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use leptos::reactive::owner::Owner;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

pub async fn one_owner_per_request(request: Request, next: Next) -> Response {
    OwnOwner {
        inner: Box::pin(next.run(request)),
        left_behind: None,
    }
    .await
}

struct OwnOwner<F> {
    inner: Pin<Box<F>>,
    /// The thread's current owner when this request last stopped polling.
    left_behind: Option<Owner>,
}

impl<F: Future> Future for OwnOwner<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        match self.left_behind.take() {
            Some(own) => own.set(),
            None => forget_current_owner(),
        }
        let polled = self.inner.as_mut().poll(cx);
        self.left_behind = Owner::current();
        forget_current_owner();
        polled
    }
}

fn forget_current_owner() {
    if let Some(owner) = Owner::current() {
        owner.unset();
    }
}
