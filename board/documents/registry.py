"""Which kinds of document exist: each app that issues a PDF registers a producer for its
kind once, in its AppConfig.ready():

    register_producer("minutes.full", produce_full_minutes, label="Protokoll",
                      may_download=lambda user, document: ...)

The producer `fn(document) -> ProducedPdf` renders and seals (board.documents.pdf); the
worker calls it through board.documents.services.document_render.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.utils.module_loading import import_string


class Document(Protocol):
    """What the registry reads of a RenderedDocument (models.py imports this module)."""

    kind: str
    producer: str


@dataclass(frozen=True)
class ProducedPdf:
    """What a producer returns: the sealed PDF, its file name and what to remember about it."""

    content: bytes
    filename: str
    metadata: dict[str, Any] = field(default_factory=dict)


# A producer and a download check are given the RenderedDocument row.
Producer = Callable[[Any], ProducedPdf]
MayDownload = Callable[[Any, Any], bool]


@dataclass(frozen=True)
class ProducerSpec:
    fn: Producer
    label: str
    public: bool
    may_download: MayDownload | None
    issued: bool = True


_REGISTRY: dict[str, ProducerSpec] = {}


def register_producer(
    kind: str,
    fn: Producer,
    *,
    label: str = "",
    public: bool = False,
    may_download: MayDownload | None = None,
    issued: bool = True,
) -> None:
    """Say how documents of `kind` are made and who may download them.

    `fn(document)` returns a ProducedPdf whose content is already sealed. `may_download(user,
    document)` decides for non-public kinds; without it, anyone who may view the
    organisation's non-public records (permissions.Action.VIEW) may. Public kinds
    (minutes.public, notice.certificate) are open to everyone. A kind nobody registered is
    not public and is labelled by its name.

    `issued=False` is for a working copy the association did not issue (a handling's PDF to
    read): /verifiera/ does not vouch for it, and it is removed with what it is a copy of.
    """
    _REGISTRY[kind] = ProducerSpec(
        fn=fn,
        label=label or kind,
        public=public,
        may_download=may_download,
        issued=issued,
    )


def dotted_path(fn: Callable[..., Any]) -> str:
    module = getattr(fn, "__module__", "")
    qualname = getattr(fn, "__qualname__", "")
    if not module or not qualname or "<" in qualname:
        return ""  # a lambda or closure cannot be found again by name
    return f"{module}.{qualname}"


def producer_for(document: Document) -> Producer:
    spec = _REGISTRY.get(document.kind)
    if spec is not None:
        return spec.fn
    # The worker may not have imported the module that registered the kind (for example
    # a producer registered outside an app's ready()); the row remembers where it lives.
    if document.producer:
        return import_string(document.producer)
    raise LookupError(f"Ingen producent registrerad för dokumentslaget {document.kind!r}.")




# Who signed a document, as /verifiera/ (page and API) shows it: `fn(document) -> list[dict]`
# with name, role, signed_at and, where the kind knows them, method, level and evidence (the
# result of checking the signature's evidence, in Swedish) and evidence_valid (True, False or
# None). Never an identity number, masked or not: the answer is public.
Signers = Callable[[Any], list[dict[str, Any]]]
_SIGNERS: dict[str, Signers] = {}


def register_signers(kind: str, fn: Signers) -> None:
    """Say how /verifiera/ lists the signers of documents of `kind` (from the kind's app, in its
    AppConfig.ready(): board knows nothing of the apps above it). Without it, /verifiera/ shows
    the names, roles and times the producer stored in the document's metadata."""
    _SIGNERS[kind] = fn


def signers_for(document: Document) -> Signers | None:
    """The signers hook of the document's kind, or None."""
    return _SIGNERS.get(document.kind)


# How a public document stands on the web today (`fn(document) -> WebState`): whether search
# engines may index it, or whether it has been withdrawn (past the association's retention;
# the download answers 410 Gone with `message` to the public, while those who may see the
# association's records still get the file). Registered by the app of the kind; a public kind
# without it is served with noindex.


@dataclass(frozen=True)
class WebState:
    indexable: bool = False
    withdrawn: bool = False
    message: str = ""


WebStateOf = Callable[[Any], WebState]
_WEB_STATE: dict[str, WebStateOf] = {}


def register_web_state(kind: str, fn: WebStateOf) -> None:
    _WEB_STATE[kind] = fn


def web_state_for(document: Document) -> WebState:
    fn = _WEB_STATE.get(document.kind)
    return fn(document) if fn is not None else WebState()


def spec_for(kind: str) -> ProducerSpec | None:
    """How documents of `kind` are made, labelled and shared; None for a kind nobody registered."""
    return _REGISTRY.get(kind)


def registered() -> dict[str, ProducerSpec]:
    """Every kind registered in this process, with its spec."""
    return dict(_REGISTRY)
