"""FILE values over real HTTP (a server on 127.0.0.1): multipart uploads from ``files:`` and downloads as Files."""

from __future__ import annotations

from email.parser import BytesParser
from email.policy import HTTP

import pytest

from deluge_lite.errors import DelugeRuntimeError


def _parts(seen) -> list[tuple[str, str | None, str, bytes]]:  # type: ignore[no-untyped-def]
    """(part name, file name, content type, bytes) of each part of a multipart request the server saw."""
    raw = f"Content-Type: {seen.headers['content-type']}\r\n\r\n".encode() + seen.body
    message = BytesParser(policy=HTTP).parsebytes(raw)
    return [(part.get_param("name", header="content-disposition"), part.get_filename(), part.get_content_type(),
             part.get_payload(decode=True)) for part in message.iter_parts()]


def test_files_upload_as_multipart_with_param_names_and_fields(echo_server, make_runner) -> None:
    runner = make_runner()
    runner.run(f'''
report = "id,name\\n1,Ana".toFile("report.csv");
report.setParamName("attachment");
note = "hello".toFile("note.txt");
r = invokeurl [ url: "{echo_server.url}/upload" type: POST parameters: {{"ticket": "42"}}
                content-type: "multipart/form-data" files: {{report, note}} ];
''')
    seen = echo_server.seen[-1]
    assert seen.headers["content-type"].startswith("multipart/form-data; boundary=")  # the boundary httpx wrote
    parts = _parts(seen)
    assert ("ticket", None, "text/plain", b"42") in parts
    assert ("attachment", "report.csv", "text/csv", b"id,name\n1,Ana") in parts
    assert ("file", "note.txt", "text/plain", b"hello") in parts  # no setParamName: "file"
    # a JSON content type left in the headers (as real scripts reuse them) still uploads as multipart
    runner.run(f'''r = invokeurl [ url: "{echo_server.url}/upload" type: POST headers: {{"content-type": "application/json"}}
                   parameters: {{"ticket": "43"}} files: "x".toFile("x.txt") ];''')
    assert ("ticket", None, "text/plain", b"43") in _parts(echo_server.seen[-1])


def test_a_binary_download_is_a_file_and_can_be_sent_on(echo_server, make_runner) -> None:
    runner = make_runner()
    lines = runner.run(f'''
doc = invokeurl [ url: "{echo_server.url}/files/q?type=application/pdf&name=Quote%2017.pdf" type: GET ];
info isFile(doc);
info doc.getFileName() + " " + doc.getFileType() + " " + doc.getFileSize();
image = invokeurl [ url: "{echo_server.url}/files/logo.png?type=image/png" type: GET ];
info image.getFileName() + " " + image.getFileType();
csv = invokeurl [ url: "{echo_server.url}/files/export.csv?type=text/csv" type: GET ];
info csv.getFileContent();
full = invokeurl [ url: "{echo_server.url}/files/logo.png?type=image/png" type: GET detailed: true ];
info full.get("responseCode") + " " + isFile(full.get("responseText"));
forced = invokeurl [ url: "{echo_server.url}/files/export.csv?type=text/csv" type: GET response-format: "TEXT" ];
info isFile(forced);
json = invokeurl [ url: "{echo_server.url}/echo" type: GET response-format: "FILE" ];
info json.getFileType();
doc.setParamName("upload");
sent = invokeurl [ url: "{echo_server.url}/upload" type: POST files: doc ];
''')
    assert lines == ["true", "Quote 17.pdf application/pdf 18", "logo.png image/png", "id,name\n1,Ana\n",
                     "200 true", "false", "application/json"]
    assert ("upload", "Quote 17.pdf", "application/pdf", b"%PDF-1.4 \x00\xff binary") in _parts(echo_server.seen[-1])
    runner.run(f'''doc = invokeurl [ url: "{echo_server.url}/files/q?type=application/pdf" type: GET ];
stored = invokeurl [ url: "{echo_server.url}/raw" type: PUT parameters: doc ];''')
    raw = echo_server.seen[-1]  # a File as the parameters: its bytes, typed as the file
    assert raw.body == b"%PDF-1.4 \x00\xff binary" and raw.headers["content-type"] == "application/pdf"


def test_parts_described_by_maps_as_real_scripts_write_them(echo_server, make_runner) -> None:
    runner = make_runner()
    runner.run(f'''
doc = invokeurl [ url: "{echo_server.url}/files/q?type=application/pdf&name=q.pdf" type: GET ];
part = {{"stringPart": "false", "paramName": "file", "content": doc, "fileName": "Q-17.pdf",
         "contentType": "application/x-pdf"}};
note = {{"stringPart": "true", "paramName": "comment", "content": "see attached"}};
r = invokeurl [ url: "{echo_server.url}/upload" type: POST files: {{part, note}} ];
''')
    parts = _parts(echo_server.seen[-1])
    assert ("file", "Q-17.pdf", "application/x-pdf", b"%PDF-1.4 \x00\xff binary") in parts
    assert ("comment", None, "text/plain", b"see attached") in parts


def test_files_that_are_not_files_are_a_deluge_error(echo_server, make_runner) -> None:
    runner = make_runner()
    with pytest.raises(DelugeRuntimeError, match="files must be file objects .* got Number"):
        runner.run(f'r = invokeurl [ url: "{echo_server.url}/up" type: POST files: 5 ];')
    assert not any(seen.path == "/up" for seen in echo_server.seen)
