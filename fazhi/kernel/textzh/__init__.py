"""Chinese text: normalisation, segmentation, identifier validators, masking.

Import from here: ``from fazhi.kernel.textzh import normalise, tokenize``.
See docs/textzh.md for the decisions and measurements behind each part.
"""

from .masking import mask_id_number, mask_name, mask_phone, mask_text
from .normalise import fold, is_traditional, normalise, to_simplified
from .segment import keywords, tokenize
from .validators import (
    ID_DOCUMENT_TYPES,
    CreditCodeValidator,
    IdNumberValidator,
    PhoneValidator,
    validate_credit_code,
    validate_id_document,
    validate_id_number,
    validate_phone,
)

__all__ = [
    "ID_DOCUMENT_TYPES",
    "CreditCodeValidator",
    "IdNumberValidator",
    "PhoneValidator",
    "fold",
    "is_traditional",
    "keywords",
    "mask_id_number",
    "mask_name",
    "mask_phone",
    "mask_text",
    "normalise",
    "to_simplified",
    "tokenize",
    "validate_credit_code",
    "validate_id_document",
    "validate_id_number",
    "validate_phone",
]
