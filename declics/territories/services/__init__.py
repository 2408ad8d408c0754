"""Writes for the territories app: the COG load and the QPV / FRR-ZRR imports."""

from .cog import LoadReport, TerritoryData, data_checksum, load_territories, read_vendored_data
from .uploads import MAX_UPLOAD_BYTES, queue_zoning_import, run_zoning_import
from .zoning import ImportReport, TerritoryImportError, import_qpvs, import_rural_zones

__all__ = [
    "ImportReport",
    "LoadReport",
    "MAX_UPLOAD_BYTES",
    "TerritoryData",
    "TerritoryImportError",
    "data_checksum",
    "import_qpvs",
    "import_rural_zones",
    "load_territories",
    "queue_zoning_import",
    "read_vendored_data",
    "run_zoning_import",
]
