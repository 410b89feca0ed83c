"""Runs scim2-tester's compliance checks against a Roster server's SCIM API.

    python scripts/scim_check.py BASE_URL TOKEN

BASE_URL ends in /scim/v2; TOKEN is an API token with the global level's
rights. Prints every check's status, lists each skipped check with its
reason, and exits 1 when any check failed (docs/scim.md says why the
skipped ones are skipped).
"""

import sys

from httpx2 import Client
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status, check_server

# Groups are the instance's tracks and roles: SCIM cannot create, replace or
# delete one, which is what the tester's Group checks start with. Their
# members are checked by Roster's own integration tests (server/tests/api/scim.rs).
RESOURCE_TYPES = ["User"]


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    base, token = sys.argv[1], sys.argv[2]
    http = Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    client = SyncSCIMClient(http)
    results = check_server(client, resource_types=RESOURCE_TYPES)
    failed = [r for r in results if r.status in (Status.ERROR, Status.CRITICAL)]
    skipped = [r for r in results if r.status == Status.SKIPPED]
    passed = [r for r in results if r.status == Status.SUCCESS]
    for r in failed:
        print(f"FAILED  {r.resource_type or ''} {r.title}: {r.reason} {r.data or ''}")
    for r in skipped:
        print(f"skipped {r.resource_type or ''} {r.title}: {r.reason}")
    print(f"scim2-tester: {len(passed)} passed, {len(failed)} failed, {len(skipped)} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
