"""The ROME job sheets are reference data: no personal data."""

from declics import personal_data

PERSONAL_DATA = personal_data.PersonalData(
    app="rome",
    order=personal_data.FOUNDATION,
    not_personal={
        "rome.RomeJob": "code label description label_en description_en",
        "rome.RomeLoad": "checksum",
    },
)
