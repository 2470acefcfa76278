"""Storage for the fake Zoho CRM: modules, records, users and org variables in SQLite.

Owns the SQLite schema (one connection, shared across server threads behind a lock; in
memory by default or a file that survives restarts), record ids (19-digit numeric strings as
Zoho gives), system fields (Owner, Created_Time/Modified_Time with offset, Created_By/Modified_By),
lookups shaped ``{"name", "id"}``, and seeding from JSON, CSV or a deterministic sample
(seed files are read and checked whole first, `read_seed_file`; a bad one is a `SeedError`
naming the file and what is wrong, and nothing is stored).
It does not speak HTTP and does not validate requests; `fake_crm` does both.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import re
import sqlite3
import stat
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

ID_BASE = 4876876000000000000  # ids look like Zoho's: "4876876000000100001"
FIRST_COUNTER = 100001
# Zoho CRM's standard modules (the "Modules and their API names" list of the API pages).
DEFAULT_MODULES = ("Leads", "Contacts", "Accounts", "Deals", "Notes", "Tasks", "Events", "Calls", "Products",
                   "Quotes", "Sales_Orders", "Purchase_Orders", "Invoices", "Vendors", "Price_Books", "Cases",
                   "Solutions", "Campaigns")
# Mandatory fields of the standard layouts (Zoho's "Insert Records" page lists them per module; the
# inventory modules' line items are left optional here).
DEFAULT_MANDATORY: dict[str, tuple[str, ...]] = {
    "Leads": ("Last_Name",),
    "Contacts": ("Last_Name",),
    "Accounts": ("Account_Name",),
    "Deals": ("Deal_Name", "Stage"),
    "Notes": ("Note_Content",),
    "Tasks": ("Subject",), "Events": ("Event_Title",), "Calls": ("Subject",), "Products": ("Product_Name",),
    "Quotes": ("Subject",), "Sales_Orders": ("Subject",), "Purchase_Orders": ("Subject",), "Invoices": ("Subject",),
    "Vendors": ("Vendor_Name",), "Price_Books": ("Price_Book_Name",), "Cases": ("Subject",),
    "Solutions": ("Solution_Title",), "Campaigns": ("Campaign_Name",),
}
# Fields whose value is a lookup to another module ("*": any module, found by id).
_ACTIVITY_LOOKUPS = {"What_Id": "*", "Who_Id": "Contacts"}
LOOKUPS: dict[str, dict[str, str]] = {
    "Contacts": {"Account_Name": "Accounts"},
    "Deals": {"Account_Name": "Accounts", "Contact_Name": "Contacts"},
    "Notes": {"Parent_Id": "*"},
    "Tasks": _ACTIVITY_LOOKUPS, "Events": _ACTIVITY_LOOKUPS, "Calls": _ACTIVITY_LOOKUPS,
    "Quotes": {"Deal_Name": "Deals", "Account_Name": "Accounts", "Contact_Name": "Contacts"},
    "Sales_Orders": {"Deal_Name": "Deals", "Account_Name": "Accounts", "Contact_Name": "Contacts"},
    "Invoices": {"Sales_Order": "Sales_Orders", "Account_Name": "Accounts", "Contact_Name": "Contacts"},
    "Purchase_Orders": {"Vendor_Name": "Vendors"},
    "Cases": {"Account_Name": "Accounts", "Related_To": "Contacts"},
}
USER_FIELDS = ("Owner", "Created_By", "Modified_By")
SYSTEM_FIELDS = ("id", "Created_Time", "Modified_Time", "Created_By", "Modified_By")
# Default duplicate-check (unique) fields used by upsert when none are given.
UNIQUE_FIELDS: dict[str, tuple[str, ...]] = {
    "Leads": ("Email",), "Contacts": ("Email",), "Accounts": ("Account_Name",), "Deals": ("Deal_Name",),
}
NAME_FIELDS = ("Full_Name", "Account_Name", "Deal_Name", "Name", "Subject", "Note_Title", "Last_Name")
DEFAULT_USERS: tuple[dict[str, str], ...] = (
    # the first user is the one a run logs in as: zoho.loginuserid's default (Runtime.user)
    {"name": "Sandbox User", "id": "4876876000000011001", "email": "user@example.com"},
    {"name": "Second User", "id": "4876876000000011002", "email": "second.user@example.com"},
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS modules (name TEXT PRIMARY KEY, mandatory TEXT NOT NULL DEFAULT '[]');
CREATE TABLE IF NOT EXISTS records (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    module TEXT NOT NULL,
    id TEXT NOT NULL UNIQUE,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS records_module ON records (module, seq);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS variables (api_name TEXT PRIMARY KEY, id TEXT NOT NULL, value TEXT);
"""


def display_name(record: dict[str, Any]) -> str | None:
    for field in NAME_FIELDS:
        value = record.get(field)
        if isinstance(value, str) and value:
            return value
    return None


class CrmStore:
    """Modules and records of one fake CRM org; every method is safe to call from any thread."""

    def __init__(self, db: str | Path = ":memory:", *, clock: Callable[[], datetime] | None = None,
                 users: Iterable[dict[str, str]] = DEFAULT_USERS,
                 mandatory: dict[str, Iterable[str]] | None = None) -> None:
        self.path = str(db)
        self.clock = clock or (lambda: datetime.now(UTC))
        self.users = [dict(user) for user in users]
        self.lock = threading.RLock()
        self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        with self.lock:
            self._conn.executescript(_SCHEMA)
            for name in DEFAULT_MODULES:
                self._ensure_module(name, DEFAULT_MANDATORY.get(name, ()))
            for name, fields in (mandatory or {}).items():
                self.add_module(name, fields)

    def close(self) -> None:
        with self.lock:
            self._conn.close()

    # ---- modules
    def _ensure_module(self, name: str, mandatory: Iterable[str]) -> None:
        self._conn.execute("INSERT OR IGNORE INTO modules (name, mandatory) VALUES (?, ?)",
                           (name, json.dumps(list(mandatory))))

    def add_module(self, name: str, mandatory: Iterable[str] | None = None) -> str:
        """Create a module (or change its mandatory fields when given); returns its API name."""
        with self.lock:
            existing = self.resolve_module(name)
            if existing is None:
                self._ensure_module(name, mandatory or ())
                return name
            if mandatory is not None:
                self._conn.execute("UPDATE modules SET mandatory = ? WHERE name = ?",
                                   (json.dumps(list(mandatory)), existing))
            return existing

    def modules(self) -> list[str]:
        """The CRM modules (the other services' collections, named ``service/...``, are left out)."""
        with self.lock:
            return [row[0] for row in self._conn.execute("SELECT name FROM modules ORDER BY rowid")
                    if "/" not in row[0]]

    def collections(self, prefix: str) -> list[str]:
        """The collections of another service (``creator/app/form``, ``books/contacts``) under `prefix`."""
        with self.lock:
            return [row[0] for row in self._conn.execute("SELECT name FROM modules WHERE name LIKE ? ORDER BY rowid",
                                                         (prefix.replace("%", "") + "%",))]

    def resolve_module(self, name: str) -> str | None:
        """The stored API name for `name` (Zoho matches module names case-insensitively)."""
        with self.lock:
            row = self._conn.execute("SELECT name FROM modules WHERE lower(name) = lower(?)", (name,)).fetchone()
        return row[0] if row else None

    def mandatory(self, module: str) -> list[str]:
        with self.lock:
            row = self._conn.execute("SELECT mandatory FROM modules WHERE name = ?", (module,)).fetchone()
        return json.loads(row[0]) if row else []

    # ---- reads
    def all(self, module: str) -> list[dict[str, Any]]:
        with self.lock:
            rows = self._conn.execute("SELECT data FROM records WHERE module = ? ORDER BY seq", (module,))
            return [json.loads(row[0]) for row in rows]

    def get(self, module: str, record_id: str) -> dict[str, Any] | None:
        with self.lock:
            row = self._conn.execute("SELECT data FROM records WHERE module = ? AND id = ?",
                                     (module, str(record_id))).fetchone()
        return json.loads(row[0]) if row else None

    def find(self, record_id: str) -> tuple[str, dict[str, Any]] | None:
        """The (module, record) holding an id, in any module."""
        with self.lock:
            row = self._conn.execute("SELECT module, data FROM records WHERE id = ?", (str(record_id),)).fetchone()
        return (row[0], json.loads(row[1])) if row else None

    # ---- writes
    def _next_id(self) -> str:
        row = self._conn.execute("SELECT value FROM meta WHERE key = 'counter'").fetchone()
        counter = int(row[0]) if row else FIRST_COUNTER
        while True:
            candidate = str(ID_BASE + counter)
            counter += 1
            if not self._conn.execute("SELECT 1 FROM records WHERE id = ?", (candidate,)).fetchone():
                break
        self._conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('counter', ?)", (str(counter),))
        return candidate

    def now(self) -> str:
        return self.clock().isoformat(timespec="seconds")

    def user(self, wanted: Any = None) -> dict[str, str]:
        """A user dict for an Owner-like value ({"id"}, an id, a name or email); the first user otherwise."""
        key = wanted.get("id") or wanted.get("email") or wanted.get("name") if isinstance(wanted, dict) else wanted
        for user in self.users:
            if key is not None and str(key) in (user["id"], user.get("email"), user["name"]):
                return dict(user)
        if isinstance(wanted, dict) and wanted.get("id"):
            return {"name": wanted.get("name"), "id": str(wanted["id"]), "email": wanted.get("email")}
        return dict(self.users[0])

    def _lookup(self, value: Any, target: str) -> Any:
        if value is None or value == "":
            return None
        if isinstance(value, dict):
            if value.get("id") is None:
                return value
            wanted = str(value["id"])
        elif isinstance(value, str | int) and not isinstance(value, bool) and str(value).isdigit():
            wanted = str(value)
        else:
            return value  # a plain text value in a lookup field is kept as given
        found = self.find(wanted) if target == "*" else (target, self.get(target, wanted))
        name = display_name(found[1]) if found and found[1] else None
        if name is None and isinstance(value, dict):
            name = value.get("name")
        return {"name": name, "id": wanted}

    def _normalise(self, module: str, record: dict[str, Any]) -> dict[str, Any]:
        lookups = LOOKUPS.get(module, {})
        for field, value in list(record.items()):
            if field in USER_FIELDS and value is not None:
                user = self.user(value)
                # Owner carries the email; Created_By / Modified_By are {"name", "id"} in Zoho's answers.
                record[field] = user if field == "Owner" else {"name": user["name"], "id": user["id"]}
            elif field in lookups:
                record[field] = self._lookup(value, lookups[field])
            elif isinstance(value, dict) and set(value) <= {"id", "name"} and value.get("id") is not None:
                record[field] = self._lookup(value, "*")
        if module in ("Leads", "Contacts") and (record.get("Last_Name") or record.get("First_Name")):
            record["Full_Name"] = " ".join(str(record[f]) for f in ("First_Name", "Last_Name") if record.get(f))
        return record

    def insert(self, module: str, data: dict[str, Any], *, keep_system: bool = False,
               user: dict[str, str] | None = None) -> dict[str, Any]:
        """Store a new record and return it; `keep_system` keeps given ids and times (for seeding).

        A collection of another service (a name with ``/``) gets an id only: its envelope adds
        the service's own system fields; CRM's Owner/Created_By/lookups apply to CRM modules."""
        if "/" in module:
            return self._insert_plain(module, data, keep_system)
        with self.lock:
            record = {k: v for k, v in data.items() if keep_system or k not in SYSTEM_FIELDS}
            acting = user or self.user()
            now = self.now()
            given_id = str(record.get("id") or "")
            if not given_id or self._conn.execute("SELECT 1 FROM records WHERE id = ?", (given_id,)).fetchone():
                record["id"] = self._next_id()
            else:
                record["id"] = given_id
            record.setdefault("Owner", acting)
            record.setdefault("Created_By", acting)
            record.setdefault("Modified_By", acting)
            record.setdefault("Created_Time", now)
            record.setdefault("Modified_Time", record["Created_Time"])
            record = self._normalise(module, record)
            self._conn.execute("INSERT INTO records (module, id, data) VALUES (?, ?, ?)",
                               (module, record["id"], json.dumps(record)))
            return record

    def _insert_plain(self, module: str, data: dict[str, Any], keep_id: bool) -> dict[str, Any]:
        with self.lock:
            self._ensure_module(module, ())
            record = dict(data)
            given_id = str(record.get("id") or "") if keep_id else ""
            if not given_id or self._conn.execute("SELECT 1 FROM records WHERE id = ?", (given_id,)).fetchone():
                given_id = self._next_id()
            record["id"] = given_id
            self._conn.execute("INSERT INTO records (module, id, data) VALUES (?, ?, ?)",
                               (module, given_id, json.dumps(record)))
            return record

    def update(self, module: str, record_id: str, changes: dict[str, Any], *,
               user: dict[str, str] | None = None) -> dict[str, Any] | None:
        with self.lock:
            record = self.get(module, record_id)
            if record is None:
                return None
            if "/" in module:
                record.update({k: v for k, v in changes.items() if k != "id"})
                self._conn.execute("UPDATE records SET data = ? WHERE module = ? AND id = ?",
                                   (json.dumps(record), module, str(record_id)))
                return record
            record.update({k: v for k, v in changes.items() if k not in SYSTEM_FIELDS})
            record["Modified_Time"] = self.now()
            record["Modified_By"] = user or self.user()
            record = self._normalise(module, record)
            self._conn.execute("UPDATE records SET data = ? WHERE module = ? AND id = ?",
                               (json.dumps(record), module, str(record_id)))
            return record

    def delete(self, module: str, record_id: str) -> bool:
        with self.lock:
            cursor = self._conn.execute("DELETE FROM records WHERE module = ? AND id = ?", (module, str(record_id)))
            return cursor.rowcount > 0

    # ---- org variables (zoho.crm.getOrgVariable)
    def set_variable(self, api_name: str, value: Any) -> None:
        with self.lock:
            row = self._conn.execute("SELECT id FROM variables WHERE api_name = ?", (api_name,)).fetchone()
            var_id = row[0] if row else self._next_id()
            self._conn.execute("INSERT OR REPLACE INTO variables (api_name, id, value) VALUES (?, ?, ?)",
                               (api_name, var_id, None if value is None else str(value)))

    def variables(self) -> list[dict[str, Any]]:
        with self.lock:
            rows = self._conn.execute("SELECT api_name, id, value FROM variables ORDER BY rowid").fetchall()
        return [{"api_name": name, "name": name.replace("_", " "), "id": var_id, "value": value,
                 "type": "text", "variable_group": {"api_name": "General", "id": "4876876000000012001"}}
                for name, var_id, value in rows]

    # ---- seeding
    def seed_records(self, module: str, records: Iterable[dict[str, Any]]) -> list[str]:
        """Insert records as given (ids and times kept when present); creates the module if new."""
        name = self.add_module(module)
        return [self.insert(name, dict(record), keep_system=True)["id"] for record in records]

    def seed_json(self, path: str | Path) -> dict[str, int]:
        """Seed from ``{"Leads": [{...}], "Contacts": [...]}``; returns counts per module."""
        return self.seed_from(read_seed_json(path))

    def seed_csv(self, path: str | Path, module: str) -> int:
        """Seed one module from a CSV file (see `read_seed_csv`); returns the number of records."""
        return self.seed_from(read_seed_csv(path, module))[module]

    def seed_from(self, seed: dict[str, list[dict[str, Any]]]) -> dict[str, int]:
        """Seed records already read by `read_seed_file`; returns counts per module."""
        return {module: len(self.seed_records(module, records)) for module, records in seed.items()}

    def seed_sample(self, n: int = 20, *, seed: int = 7) -> dict[str, int]:
        """Plausible Accounts, Leads, Contacts, Deals, Products and activities (Tasks, Calls, Events about
        the deals), the same for the same `n` and `seed`."""
        rng = random.Random(seed)
        base = datetime(2024, 1, 2, 9, 0, tzinfo=UTC)

        def stamp(i: int) -> dict[str, str]:
            created = base + timedelta(hours=7 * i + rng.randrange(5))
            return {"Created_Time": created.isoformat(timespec="seconds"),
                    "Modified_Time": (created + timedelta(days=rng.randrange(30))).isoformat(timespec="seconds")}

        accounts = []
        for i in range(max(1, n // 4)):
            name = f"{rng.choice(_COMPANY_A)} {rng.choice(_COMPANY_B)}"
            accounts.append(self.insert("Accounts", {
                "Account_Name": name, "Industry": rng.choice(_INDUSTRIES), "Phone": _phone(rng),
                "Website": f"https://{name.split()[0].lower()}{i}.example.com",
                "Billing_City": rng.choice(_CITIES), "Annual_Revenue": rng.randrange(1, 500) * 10000,
                "Owner": rng.choice(self.users), **stamp(i)}, keep_system=True))
        for i in range(n):
            first, last = rng.choice(_FIRST), rng.choice(_LAST)
            self.insert("Leads", {
                "First_Name": first, "Last_Name": last, "Company": f"{rng.choice(_COMPANY_A)} {rng.choice(_COMPANY_B)}",
                "Email": f"{first.lower()}.{last.lower()}{i}@example.com", "Phone": _phone(rng),
                "Lead_Source": rng.choice(_SOURCES), "Lead_Status": rng.choice(_LEAD_STATUSES),
                "Industry": rng.choice(_INDUSTRIES), "Annual_Revenue": rng.randrange(1, 200) * 5000,
                "No_of_Employees": rng.randrange(1, 2000), "Rating": rng.choice(_RATINGS),
                "City": rng.choice(_CITIES), "Owner": rng.choice(self.users), **stamp(i)}, keep_system=True)
        contacts = []
        for i in range(n):
            first, last = rng.choice(_FIRST), rng.choice(_LAST)
            account = rng.choice(accounts)
            contacts.append(self.insert("Contacts", {
                "First_Name": first, "Last_Name": last, "Email": f"{first.lower()}.{last.lower()}{i}@example.org",
                "Phone": _phone(rng), "Title": rng.choice(_TITLES), "Mailing_City": rng.choice(_CITIES),
                "Account_Name": {"id": account["id"]}, "Lead_Source": rng.choice(_SOURCES),
                "Owner": rng.choice(self.users), **stamp(i)}, keep_system=True))
        for i in range(n):
            contact = rng.choice(contacts)
            stage, probability = rng.choice(_STAGES)
            closing = date(2024, 3, 1) + timedelta(days=rng.randrange(270))
            self.insert("Deals", {
                "Deal_Name": f"{rng.choice(_DEAL_WORDS)} for {contact['Account_Name']['name']}",
                "Stage": stage, "Probability": probability, "Amount": rng.randrange(10, 900) * 100,
                "Closing_Date": closing.isoformat(), "Type": rng.choice(("New Business", "Existing Business")),
                "Account_Name": {"id": contact["Account_Name"]["id"]}, "Contact_Name": {"id": contact["id"]},
                "Lead_Source": rng.choice(_SOURCES), "Owner": rng.choice(self.users), **stamp(i)}, keep_system=True)
        products = [self.insert("Products", {
            "Product_Name": f"{word} {i + 1}", "Product_Code": f"P-{100 + i}", "Unit_Price": rng.randrange(5, 500) * 10,
            "Product_Active": True, "Qty_in_Stock": rng.randrange(0, 300), "Owner": rng.choice(self.users), **stamp(i)},
            keep_system=True) for i, word in enumerate(_PRODUCTS[:max(1, n // 4)])]
        deals = self.all("Deals")
        for i in range(max(1, n // 2)):  # activities about deals, with their contact
            deal = rng.choice(deals)
            due = date(2024, 3, 1) + timedelta(days=rng.randrange(270))
            about = {"What_Id": {"id": deal["id"]}, "$se_module": "Deals", "Who_Id": {"id": deal["Contact_Name"]["id"]},
                     "Owner": rng.choice(self.users), **stamp(i)}
            self.insert("Tasks", {"Subject": f"Follow up: {deal['Deal_Name']}", "Due_Date": due.isoformat(),
                                  "Status": rng.choice(_TASK_STATUSES), "Priority": rng.choice(("High", "Normal", "Low")),
                                  **about}, keep_system=True)
            start = datetime(due.year, due.month, due.day, 9 + rng.randrange(8), tzinfo=UTC)
            self.insert("Calls", {"Subject": f"Call about {deal['Deal_Name']}", "Call_Type": "Outbound",
                                  "Call_Start_Time": start.isoformat(timespec="seconds"), "Call_Duration": "00:15",
                                  **about}, keep_system=True)
            self.insert("Events", {"Event_Title": f"Meeting: {deal['Deal_Name']}",
                                   "Start_DateTime": start.isoformat(timespec="seconds"),
                                   "End_DateTime": (start + timedelta(hours=1)).isoformat(timespec="seconds"),
                                   **about}, keep_system=True)
        activities = max(1, n // 2)
        return {"Accounts": len(accounts), "Leads": n, "Contacts": n, "Deals": n, "Products": len(products),
                "Tasks": activities, "Calls": activities, "Events": activities}


def _phone(rng: random.Random) -> str:
    return f"+1 555 {rng.randrange(100, 999)} {rng.randrange(1000, 9999)}"


_FIRST = ("Ava", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hiro", "Isla", "Jon", "Kavya", "Liam",
          "Maya", "Noah", "Olga", "Priya", "Quinn", "Ravi", "Sofia", "Tom", "Uma", "Victor", "Wen", "Yara")
_LAST = ("Adams", "Brown", "Chen", "Diaz", "Evans", "Fischer", "Garcia", "Haddad", "Ito", "Johnson", "Kumar",
         "Lopez", "Miller", "Nakamura", "Okafor", "Patel", "Rossi", "Singh", "Taylor", "Novak", "Weber", "Young")
_COMPANY_A = ("Acme", "Blue", "Cedar", "Delta", "Evergreen", "Falcon", "Granite", "Harbor", "Iris", "Juniper")
_COMPANY_B = ("Labs", "Systems", "Foods", "Logistics", "Analytics", "Studios", "Holdings", "Works")
_INDUSTRIES = ("Technology", "Manufacturing", "Retail", "Healthcare", "Finance", "Education", "Logistics")
_SOURCES = ("Web Site", "Advertisement", "Cold Call", "Partner", "Trade Show", "Employee Referral")
_LEAD_STATUSES = ("Not Contacted", "Attempted to Contact", "Contacted", "Contact in Future", "Junk Lead")
_RATINGS = ("Acquired", "Active", "Market Failed", "Project Cancelled", "Shut Down")
_CITIES = ("Austin", "Berlin", "Chennai", "Dublin", "Lisbon", "Melbourne", "Osaka", "Toronto")
_TITLES = ("CEO", "CTO", "Head of Sales", "Buyer", "Operations Manager", "Engineer")
_STAGES = (("Qualification", 10), ("Needs Analysis", 20), ("Value Proposition", 40),
           ("Proposal/Price Quote", 75), ("Negotiation/Review", 90), ("Closed Won", 100), ("Closed Lost", 0))
_PRODUCTS = ("Starter plan", "Pro plan", "Support pack", "Sensor kit", "Gateway", "Training day", "Audit",
             "Cable set", "Mount", "Battery")
_TASK_STATUSES = ("Not Started", "In Progress", "Completed", "Waiting for input", "Deferred")
_DEAL_WORDS = ("Renewal", "Expansion", "Pilot", "Annual plan", "Upgrade", "Onboarding")


# ---- seed files: read and checked before anything is stored
MAX_SEED_BYTES = 100 * 1024 * 1024
_MODULE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,99}$")


class SeedError(ValueError):
    """A seed file is missing, unreadable, not text, not JSON/CSV, or not shaped like records."""


def _seed_text(path: Path) -> str:
    try:
        with open(path, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise SeedError(f"seed file '{path}' is not a regular file")
            data = handle.read(MAX_SEED_BYTES + 1)
    except FileNotFoundError:
        raise SeedError(f"seed file '{path}' does not exist") from None
    except IsADirectoryError:
        raise SeedError(f"seed file '{path}' is a folder, not a file") from None
    except OSError as error:
        raise SeedError(f"cannot read seed file '{path}': {error.strerror or error}") from None
    if len(data) > MAX_SEED_BYTES:
        raise SeedError(f"seed file '{path}' is larger than {MAX_SEED_BYTES:,} bytes")
    if b"\x00" in data:
        raise SeedError(f"seed file '{path}' is binary, not JSON or CSV text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SeedError(f"seed file '{path}' is not UTF-8 text (byte 0x{data[error.start]:02x} at offset "
                        f"{error.start})") from None


def _check_record(path: Path, module: str, index: int, record: Any) -> dict[str, Any]:
    where = f"seed file '{path}': {module}[{index}]"
    if not isinstance(record, dict):
        raise SeedError(f"{where} must be a record (a JSON object of field names and values), "
                        f"not {_json_kind(record)}")
    record_id = record.get("id")
    if record_id is not None and (isinstance(record_id, bool) or not isinstance(record_id, str | int)
                                  or not str(record_id).isdigit()):
        raise SeedError(f"{where}: id must be a number or digits as text, not {json.dumps(record_id)[:40]}")
    return record


def _json_kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null"}.get(
        type(value), "a number")


def read_seed_json(path: str | Path) -> dict[str, list[dict[str, Any]]]:
    """``{"Leads": [{...}], ...}`` from a JSON file, checked: module names, lists, record objects."""
    path = Path(path)
    text = _seed_text(path)
    try:
        data = json.loads(text)
    except ValueError as error:
        line = getattr(error, "lineno", None)
        at = f" (line {line})" if line else ""
        raise SeedError(f"seed file '{path}' is not valid JSON{at}; expected "
                        f'{{"Leads": [{{...}}], ...}}') from None
    if not isinstance(data, dict):
        raise SeedError(f"seed file '{path}' must hold a JSON object mapping module names to lists of "
                        f'records, like {{"Leads": [{{"Last_Name": "Lee"}}]}}, not {_json_kind(data)}')
    seed: dict[str, list[dict[str, Any]]] = {}
    for module, records in _flatten_services(path, data).items():
        if not _MODULE_NAME.match(module.rpartition("/")[2]):
            raise SeedError(f"seed file '{path}': '{module[:60]}' is not a module API name (letters, digits "
                            f"and _, starting with a letter)")
        if not isinstance(records, list):
            raise SeedError(f"seed file '{path}': {module} must be a list of records, not {_json_kind(records)}")
        seed[module] = [_check_record(path, module, i, r) for i, r in enumerate(records)]
    return seed


# Top-level seed keys that hold another service's collections: {"books": {"contacts": [...]}}.
SERVICE_SEED_KEYS = ("creator", "books", "inventory", "desk", "workdrive", "cliq")


def _flatten_services(path: Path, data: dict[str, Any]) -> dict[str, Any]:
    """``{"Leads": [...], "creator": {"Orders": [...]}}`` -> ``{"Leads": [...], "creator/Orders": [...]}``."""
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if key.lower() not in SERVICE_SEED_KEYS:
            flat[key] = value
            continue
        if not isinstance(value, dict):
            raise SeedError(f"seed file '{path}': {key} must be an object of collections, like "
                            f'{{"{key}": {{"NAME": [{{...}}]}}}}, not {_json_kind(value)}')
        for name, records in value.items():
            flat[f"{key.lower()}/{name}"] = records
    return flat


def read_seed_csv(path: str | Path, module: str) -> dict[str, list[dict[str, Any]]]:
    """One module's records from CSV: a header row of field API names, one record per row.

    Empty cells are left out; ``Account_Name.id``-style columns build lookup maps.
    """
    path = Path(path)
    if not _MODULE_NAME.match(module):
        raise SeedError(f"seed file '{path}': '{module[:60]}' is not a module API name; name the file "
                        f"after the module (Leads.csv) or give the module")
    records = []
    try:
        for index, row in enumerate(csv.DictReader(io.StringIO(_seed_text(path), newline=""))):
            record: dict[str, Any] = {}
            for column, cell in row.items():
                if column is None or cell is None or cell == "":
                    continue
                head, dot, tail = column.partition(".")
                if dot:
                    record.setdefault(head, {})[tail] = cell
                else:
                    record[column] = cell
            records.append(_check_record(path, module, index, record))
    except csv.Error as error:
        raise SeedError(f"seed file '{path}' is not valid CSV: {error}") from None
    return {module: records}


def read_seed_file(path: str | Path, module: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """A .csv file (module: ``module`` or the file's stem) or a JSON file, read and checked."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        return read_seed_csv(path, module or path.stem)
    return read_seed_json(path)
