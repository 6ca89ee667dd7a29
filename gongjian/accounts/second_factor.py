"""The second factor of administrative sign-in (GB/T 22239-2019 level 3, 身份鉴别: two
factors, one of them cryptographic): a TOTP authenticator (RFC 6238, through django-otp)
enrolled with a QR code drawn here (segno, no image service), and ten one-time recovery
codes. Every enrolment, sign-in step, failure and reset is audited.
"""

from __future__ import annotations

from typing import Any

import segno
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongjian.accounts.errors import AccountActionRefused
from gongjian.accounts.models import SECOND_FACTOR_ROLES
from gongjian.audit.refusals import audits_refusals
from gongjian.audit.services import Actor, audit_event, audited
from gongjian.orgs.scope import organization_path

RECOVERY_CODES = 10
AUTHENTICATOR = "authenticator"
RECOVERY = "recovery"


def second_factor_required(user: Any) -> bool:
    """The account must pass the second step before it may do anything."""
    if not getattr(settings, "OTP_REQUIRED", False) or not user.is_authenticated:
        return False
    if user.get_username() in getattr(settings, "OTP_EXEMPT_USERNAMES", ()):
        return False
    return user.role in SECOND_FACTOR_ROLES or user.is_superuser


def has_authenticator(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_authenticator(user: Any) -> TOTPDevice:
    """The account's authenticator being enrolled (a new secret if none is pending)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=AUTHENTICATOR).first()
    return device or TOTPDevice.objects.create(user=user, confirmed=False, name=AUTHENTICATOR)


def qr_svg(device: TOTPDevice) -> str:
    """The enrolment QR code as inline SVG markup (drawn here: intranets have no QR service)."""
    return str(segno.make(device.config_url, error="m").svg_inline(scale=4, border=2))


def secret_text(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an authenticator by hand."""
    from base64 import b32encode

    text = b32encode(device.bin_key).decode("ascii")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@audits_refusals
def authenticator_confirm(*, request: HttpRequest, token: str) -> list[str]:
    """Confirm the pending authenticator with a code from it; mark this session verified and
    return ten new recovery codes (shown once)."""
    user: Any = request.user
    device = pending_authenticator(user)
    with audited("account.otp_enrol", actor=user, target=user, scope_path=organization_path(user)) as record:
        if not device.verify_token(token.strip()):
            raise AccountActionRefused(_("验证码不正确，请核对手机时间后重试"), code="token", field="token")
        with transaction.atomic():
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = _new_recovery_codes(user)
        otp_login(request, device)
        record.after = {"recovery_codes": len(codes)}
    return codes


def _new_recovery_codes(user: Any) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def second_step(*, request: HttpRequest, token: str) -> None:
    """Check a code from the authenticator or a recovery code; on success the session is
    verified, otherwise a refusal (audited; django-otp throttles repeated failures)."""
    user: Any = request.user
    token = token.strip().replace(" ", "").lower()
    # for_verify locks the devices (django-otp's throttling counts each try): in a transaction.
    with transaction.atomic():
        verified = next(
            (d for d in devices_for_user(user, confirmed=True, for_verify=True) if d.verify_token(token)), None
        )
    if verified is None:
        audit_event(
            "account.otp_verify",
            actor=user,
            target=user,
            scope_path=organization_path(user),
            success=False,
            reason="验证码不正确",
        )
        raise AccountActionRefused(_("验证码不正确或已用过"), code="token", field="token")
    otp_login(request, verified)
    audit_event(
        "account.otp_verify",
        actor=user,
        target=user,
        scope_path=organization_path(user),
        after={"device": RECOVERY if isinstance(verified, StaticDevice) else AUTHENTICATOR},
    )


@audits_refusals
def second_factor_reset(*, actor: Actor, user: Any) -> int:
    """Remove the account's authenticator and recovery codes (a lost phone): it enrols again
    at its next sign-in. The security administrator's job, never on their own account."""
    with audited("account.otp_reset", actor=actor, target=user, scope_path=organization_path(user)) as record:
        if getattr(actor, "role", "") != "security_admin":
            raise AccountActionRefused(_("只有安全管理员能重置双因素认证"), code="role")
        if actor.pk == user.pk:
            raise AccountActionRefused(_("不能在这里修改自己的账号"), code="self")
        removed = sum(model.objects.filter(user=user).delete()[0] for model in (TOTPDevice, StaticDevice))
        record.after = {"removed_devices": removed}
    return removed
