"""GeoReport v2 documents in XML and JSON, shaped exactly as the spec's.

XML: a root element holding one element per item (`services/service`,
`service_requests/request`, `errors/error`), UTF-8 with the declaration.
JSON: the list of items itself. Empty values are empty elements in XML and
null in JSON.
"""

import json
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

from django.http import HttpResponse

JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"


def _xml_value(parent: Element, key: str, value: Any, item_tags: dict[str, str]):
    node = SubElement(parent, key)
    if isinstance(value, list):
        for v in value:
            _xml_value(node, item_tags.get(key, "item"), v, item_tags)
    elif isinstance(value, dict):
        for k, v in value.items():
            _xml_value(node, k, v, item_tags)
    elif isinstance(value, bool):
        node.text = "true" if value else "false"
    elif value is not None:
        node.text = str(value)


def _doc(top: Element) -> bytes:
    return (
        b'<?xml version="1.0" encoding="utf-8"?>\n'
        + tostring(top, encoding="unicode").encode()
    )


def _tags(extra: dict[str, str] | None) -> dict[str, str]:
    return {
        "attributes": "attribute",
        "values": "value",
        "endpoints": "endpoint",
        "formats": "format",
        **(extra or {}),
    }


def to_xml(root: str, item: str, rows: list[dict[str, Any]]) -> bytes:
    tags, top = _tags(None), Element(root)
    for row in rows:
        node = SubElement(top, item)
        for k, v in row.items():
            _xml_value(node, k, v, tags)
    return _doc(top)


def document_xml(root: str, fields: dict[str, Any]) -> bytes:
    """A single document whose root holds the fields (service_definition,
    discovery)."""
    tags, top = _tags(None), Element(root)
    for k, v in fields.items():
        _xml_value(top, k, v, tags)
    return _doc(top)


def respond(
    fmt: str, root: str, item: str, rows: list[dict[str, Any]], status: int = 200
) -> HttpResponse:
    if fmt == "json":
        return HttpResponse(
            json.dumps(rows, ensure_ascii=False), status=status, content_type=JSON_TYPE
        )
    return HttpResponse(to_xml(root, item, rows), status=status, content_type=XML_TYPE)


def respond_document(fmt: str, root: str, fields: dict[str, Any]) -> HttpResponse:
    if fmt == "json":
        return HttpResponse(
            json.dumps(fields, ensure_ascii=False), content_type=JSON_TYPE
        )
    return HttpResponse(document_xml(root, fields), content_type=XML_TYPE)


def error(fmt: str, status: int, *messages: str) -> HttpResponse:
    rows = [{"code": status, "description": m} for m in messages]
    return respond(fmt, "errors", "error", rows, status=status)
