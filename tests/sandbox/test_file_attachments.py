"""zoho.crm.attachFile with a FILE value (https://www.zoho.com/deluge/help/crm/attach-file.html) against the fake CRM."""

from __future__ import annotations

from collections.abc import Callable


def test_attach_a_file_object_and_read_it_back(run_deluge: Callable[[str], list[str]]) -> None:
    lines = run_deluge('''
deal = zoho.crm.getRecords("Deals", 1, 1).get(0).get("id");
quote = "Quote for the deal: 1,200 EUR".toFile("quote.txt");
quote.setFileName("Quote 2026.txt");
r = zoho.crm.attachFile("Deals", deal, quote);
info r.get("id") != null;
for each attachment in zoho.crm.getRelatedRecords("Attachments", "Deals", deal)
{
	info attachment.get("File_Name") + " " + attachment.get("Size");
}
''')
    assert lines == ["true", "Quote 2026.txt 29"]
