"""The fake CRM's Users API: the org's users as Zoho's Users pages show them.

`answer(users, rest, query)` serves, under ``/crm/{v}/``:
  GET users                  every user; ``type=CurrentUser`` the first one, ``ActiveUsers`` /
                             ``AllUsers`` / ``AdminUsers`` ... every (sandbox users are all active admins
                             or standard users)
  GET users/{id}             {"users": [that user]}, 204 when no user has the id
  GET users/search           ``criteria=(email:equals:x)`` and the other CRM criteria, 204 when none match
Each user carries what scripts read off Zoho's answer: id, email, full_name, first_name,
last_name, status, profile {name, id}, role {name, id}, time_zone. The ``zoho.crm`` tasks give
the whole answer for the users module ({"users": [...]}), as Zoho's do.
"""

from __future__ import annotations

from . import fake_crm_search as search
from .fake_crm_search import CriteriaError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# (profile, role) of the first user and of every other one.
_ADMIN = ({"name": "Administrator", "id": "4876876000000026011"}, {"name": "CEO", "id": "4876876000000026005"})
_STANDARD = ({"name": "Standard", "id": "4876876000000026014"}, {"name": "Manager", "id": "4876876000000026008"})
_TYPES_FIRST_ONLY = ("currentuser",)


def describe(user: dict[str, Any], index: int) -> dict[str, Any]:
    """One user as the Users API answers it."""
    first, _, last = str(user.get("name", "")).partition(" ")
    profile, role = _ADMIN if index == 0 else _STANDARD
    return {"first_name": first, "last_name": last or first, "full_name": user.get("name"), "status": "active",
            "profile": dict(profile), "role": dict(role), "time_zone": "UTC", "confirm": True, **user}


def answer(users: list[dict[str, Any]], rest: list[str], query: dict[str, str]) -> tuple[int, Any]:
    """(status, body) of a GET under /users; a bad criteria is a ValueError with Zoho's message."""
    shown = [describe(user, index) for index, user in enumerate(users)]
    if len(rest) == 1:
        if query.get("type", "").lower() in _TYPES_FIRST_ONLY:
            shown = shown[:1]
        return 200, {"users": shown, "info": {"count": len(shown), "page": 1, "per_page": 200, "more_records": False}}
    if rest[1].lower() == "search":
        try:
            node = search.parse_criteria(query.get("criteria", ""))
        except CriteriaError as error:
            raise ValueError(str(error)) from None
        found = [user for user in shown if search.matches(node, user)]
        return (200, {"users": found, "info": {"count": len(found), "more_records": False}}) if found else (204, None)
    found = [user for user in shown if str(user["id"]) == rest[1]]
    return (200, {"users": found}) if found and len(rest) == 2 else (204, None)
