"""The steps of a normative document that staff fire from a form (the detail
page) or a JSON body (the API): each with its form, service call, the
permission it needs on the drafting agency, the states it applies in and its
label. One table, so the page and the API offer the same steps."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _l

from fazhi.kernel.org.roles import CASE_HANDLE

from . import normative_forms as f
from . import normative_workflow as wf
from .models import NormativeDocument
from .services import normative as ns
from .services import normative_cleanup as nc

Handler = Callable[[Any, NormativeDocument, dict[str, Any]], Any]


def _legality(user: Any, nd: NormativeDocument, d: dict[str, Any]) -> Any:
    return ns.normative_legality_opinion(
        actor=user, document=nd, verdict=d["verdict"], text=d["text"], on=d["on"]
    )


def _correct(user: Any, nd: NormativeDocument, d: dict[str, Any]) -> Any:
    return ns.normative_correct(
        actor=user,
        document=nd,
        method=d["method"],
        text=d["text"],
        on=d["on"],
        new_text=d["new_text"] or None,
    )


def _with_text(service: Callable[..., Any]) -> Handler:
    return lambda user, nd, d: service(
        actor=user, document=nd, text=d["text"], on=d["on"]
    )


# name: (form, handler, permission, states, label)
ACTIONS: dict[str, tuple[type, Handler, str, frozenset[str], Any]] = {
    "submit_review": (
        f.SubmitReviewForm,
        lambda u, nd, d: ns.normative_submit_review(
            actor=u, document=nd, on=d["on"], review_days=d["review_days"]
        ),
        CASE_HANDLE,
        frozenset({wf.DRAFTING}),
        _l("送合法性审核"),
    ),
    "review_period": (
        f.ReviewPeriodForm,
        lambda u, nd, d: ns.normative_review_period(actor=u, document=nd, **d),
        wf.LEGALITY_REVIEW,
        frozenset({wf.REVIEWING}),
        _l("确定审核期限"),
    ),
    "revise": (
        f.ReviseForm,
        lambda u, nd, d: ns.normative_revise(actor=u, document=nd, **d),
        CASE_HANDLE,
        frozenset({wf.DRAFTING}),
        _l("修改草案"),
    ),
    "legality": (
        f.LegalityForm,
        _legality,
        wf.LEGALITY_REVIEW,
        frozenset({wf.REVIEWING}),
        _l("出具合法性审核意见"),
    ),
    "publish": (
        f.PublishForm,
        lambda u, nd, d: ns.normative_publish(actor=u, document=nd, **d),
        CASE_HANDLE,
        frozenset({wf.APPROVED}),
        _l("公布"),
    ),
    "file": (
        f.DayForm,
        lambda u, nd, d: ns.normative_file(actor=u, document=nd, filed_on=d["on"]),
        CASE_HANDLE,
        frozenset({wf.PUBLISHED}),
        _l("报送备案"),
    ),
    "accept": (
        f.NoteForm,
        _with_text(ns.normative_accept),
        wf.FILING_REVIEW,
        frozenset({wf.FILED}),
        _l("准予备案"),
    ),
    "request_supplement": (
        f.RequiredNoteForm,
        _with_text(ns.normative_request_supplement),
        wf.FILING_REVIEW,
        frozenset({wf.FILED}),
        _l("通知补正"),
    ),
    "find_fault": (
        f.FaultForm,
        lambda u, nd, d: ns.normative_find_fault(
            actor=u, document=nd, result=d["result"], text=d["text"], on=d["on"]
        ),
        wf.FILING_REVIEW,
        frozenset({wf.FILED}),
        _l("认定违法或不适当"),
    ),
    "supplement": (
        f.NoteForm,
        _with_text(ns.normative_supplement),
        CASE_HANDLE,
        frozenset({wf.SUPPLEMENTING}),
        _l("补充报送"),
    ),
    "correct": (
        f.CorrectForm,
        _correct,
        CASE_HANDLE,
        frozenset({wf.CORRECTING}),
        _l("报告纠正结果"),
    ),
    "evaluate": (
        f.EvaluationForm,
        lambda u, nd, d: nc.post_evaluation_record(actor=u, document=nd, **d),
        CASE_HANDLE,
        wf.PUBLIC_STATES,
        _l("记录后评估"),
    ),
    "withdraw": (
        f.WithdrawForm,
        lambda u, nd, d: ns.normative_withdraw(actor=u, document=nd, **d),
        CASE_HANDLE,
        frozenset({wf.DRAFTING}),
        _l("撤回草案"),
    ),
}
