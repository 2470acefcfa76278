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


def test_an_attachment_downloads_back_as_a_file_and_uploads_on(run_deluge: Callable[[str], list[str]]) -> None:
    """The pattern of real scripts: fetch a record's attachment with invokeurl, then send it elsewhere."""
    lines = run_deluge('''
deal = zoho.crm.getRecords("Deals", 1, 1).get(0).get("id");
zoho.crm.attachFile("Deals", deal, "%PDF-1.4 proposal".toFile("proposal.pdf"));
att = zoho.crm.getRelatedRecords("Attachments", "Deals", deal).get(0);
file = invokeurl
[
	url :"https://www.zohoapis.com/crm/v2/Deals/" + deal + "/Attachments/" + att.get("id")
	type :GET
	connection:"crm_oauth_connection"
];
info isFile(file) + " " + file.getFileName() + " " + file.getFileType() + " " + file.getFileSize();
file.setParamName("file");
again = zoho.crm.attachFile("Deals", deal, file);
info zoho.crm.getRelatedRecords("Attachments", "Deals", deal).size();
''')
    assert lines == ["true proposal.pdf application/pdf 17", "2"]
