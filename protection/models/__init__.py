"""The protection registries: centres, overseas platforms and workstations, their yearly figures, the counts a
province gives without names, the published national totals, and officers' proposed changes."""

from .changes import RegistryChange
from .published import ProvincialCount, PublishedTotal
from .registry import (
    Centre,
    CentreFigures,
    City,
    Level,
    Platform,
    PlatformFigures,
    Status,
    Workstation,
)

__all__ = [
    "Centre",
    "CentreFigures",
    "City",
    "Level",
    "Platform",
    "PlatformFigures",
    "ProvincialCount",
    "PublishedTotal",
    "RegistryChange",
    "Status",
    "Workstation",
]
