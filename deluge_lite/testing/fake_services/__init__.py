"""The fake Zoho Creator, Books, Inventory, Desk, Cliq, WorkDrive, Sheet, Projects and SalesIQ.

One engine (`engine.ServiceEngine`: the generic record actions over the fake CRM's SQLite
store) and, per service, a route table and a `Style` (how that service names ids, wraps
records in its envelope and words its errors): a new service is a table row in `routes` and
a style, not new actions. The parts:

  base       the page limit, `ServiceError`, `Route`, the `Style` base class
  creator    Creator v2.1 (``ID`` keys, code 3000)       books      Books v3 / Inventory v1
  support    Desk v1 and Cliq v2                          documents  WorkDrive v1 and Sheet v2
  trees      Projects and SalesIQ (REST trees)            routes     the table of every service
  engine     the actions, request bodies, Books/Desk filters

`deluge_lite.testing.fake_zoho.FakeZoho` serves them all on the fake CRM's port.
"""

from __future__ import annotations

from .base import MAX_PAGE, Answer, Route, ServiceError, Style
from .books import BOOKS_MODULES, BooksStyle, InventoryStyle
from .creator import CreatorStyle
from .documents import SheetStyle, WorkDriveStyle, sheet_criteria
from .engine import MESSAGES, RequestBody, ServiceEngine, filter_records
from .routes import SERVICE_NAMES, SERVICES, Service, find_service, match_path
from .support import CliqStyle, DeskStyle
from .trees import ProjectsStyle, SalesIQStyle, TreeStyle

__all__ = ["BOOKS_MODULES", "MAX_PAGE", "MESSAGES", "SERVICES", "SERVICE_NAMES", "Answer", "BooksStyle", "CliqStyle",
           "CreatorStyle", "DeskStyle", "InventoryStyle", "ProjectsStyle", "RequestBody", "Route", "SalesIQStyle",
           "Service", "ServiceEngine", "ServiceError", "SheetStyle", "Style", "TreeStyle", "WorkDriveStyle",
           "filter_records", "find_service", "match_path", "sheet_criteria"]
