"""The index frameworks, the results the 2025 report publishes and the group memberships (h7 adds the editions)."""

from .editions import *  # noqa: F403
from .frameworks import Basis, Direction, FrameworkGroup, FrameworkIndicator, ValueKind
from .published import (
    COMPOSITE_NAME_ZH,
    INDEX_NAMES_ZH,
    IndexKind,
    Measure,
    Membership,
    MembershipSource,
    PublishedResult,
    Scope,
    ScopeKind,
    Status,
)

__all__ = [
    "COMPOSITE_NAME_ZH",
    "INDEX_NAMES_ZH",
    "Basis",
    "Direction",
    "FrameworkGroup",
    "FrameworkIndicator",
    "IndexKind",
    "Measure",
    "Membership",
    "MembershipSource",
    "PublishedResult",
    "Scope",
    "ScopeKind",
    "Status",
    "ValueKind",
]
