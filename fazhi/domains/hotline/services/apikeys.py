"""Open311 api keys: created by an administrator, shown once, kept hashed."""

import hashlib
import hmac
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from fazhi.kernel.audit.services import audit_record

from ..models import ApiClient

KEY_PREFIX = "o311_"


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def apikey_create(*, actor: Any, name: str) -> tuple[ApiClient, str]:
    """A new client and its key; the key is returned here and nowhere else."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ValidationError({"name": "名称须为 1 至 100 个字符"})
    if ApiClient.objects.filter(name=name).exists():
        raise ValidationError({"name": f"接口客户端“{name}”已存在"})
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        client = ApiClient.objects.create(
            name=name, key_prefix=key[:8], key_hash=_hash(key)
        )
        audit_record(
            actor=actor,
            action="hotline.apikey_create",
            record_type="apiclient",
            record_id=client.pk,
            payload={"name": name, "prefix": client.key_prefix},
        )
    return client, key


def apikey_revoke(*, actor: Any, name: str) -> ApiClient:
    client = ApiClient.objects.filter(name=name).first()
    if client is None:
        raise ValidationError({"name": f"没有接口客户端“{name}”"})
    with transaction.atomic():
        client.is_active = False
        client.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action="hotline.apikey_revoke",
            record_type="apiclient",
            record_id=client.pk,
            payload={"name": name},
        )
    return client


def apikey_client(key: Any) -> ApiClient | None:
    """The active client holding `key`, or None."""
    if not isinstance(key, str) or not key.startswith(KEY_PREFIX) or len(key) > 200:
        return None
    client = ApiClient.objects.filter(key_hash=_hash(key), is_active=True).first()
    # The lookup is by hash already; compare again in constant time anyway.
    if client is None or not hmac.compare_digest(client.key_hash, _hash(key)):
        return None
    return client
