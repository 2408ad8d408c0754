"""The territories are reference data (INSEE, the QPV and FRR/ZRR lists): no personal data."""

from declics import personal_data

PERSONAL_DATA = personal_data.PersonalData(
    app="territories",
    order=personal_data.FOUNDATION,
    kept={"territories.ZoningImport": "created_by"},  # the team member who uploaded the file
    not_personal={
        "territories.Region": "code name zone",
        "territories.Departement": "code name zone",
        "territories.Commune": "code kind name search_name postal_codes parent_code",
        "territories.CommunePostalCode": "code",
        "territories.QPV": "code name source",
        "territories.RuralZone": "classification source",
        "territories.ReferenceDataVersion": "name checksum",
        "territories.ZoningImport": "kind classification valid_from valid_to source filename content status "
        "rows_read created updated unchanged superseded refused error created_at started_at finished_at",
    },
)
