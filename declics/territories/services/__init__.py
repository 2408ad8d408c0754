"""Writes for the territories app: the COG load and the QPV / FRR-ZRR imports."""

from .cog import LoadReport, TerritoryData, data_checksum, load_territories, read_vendored_data
from .zoning import ImportReport, TerritoryImportError, import_qpvs, import_rural_zones

__all__ = [
    "ImportReport",
    "LoadReport",
    "TerritoryData",
    "TerritoryImportError",
    "data_checksum",
    "import_qpvs",
    "import_rural_zones",
    "load_territories",
    "read_vendored_data",
]
