import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def normalise_french_phone(value: str) -> str:
    """Return the number in E.164 (+33…) or raise ValidationError with a French message.

    Accepts the ways people type a French number: 06 12 34 56 78, 06.12.34.56.78, +33 6 12…
    Overseas départements (+262, +590…) are French numbers too.
    """
    try:
        number = phonenumbers.parse(value, "FR")
    except phonenumbers.NumberParseException as error:
        raise ValidationError(_("Ce numéro de téléphone n'est pas valide."), code="invalid_phone") from error
    if not phonenumbers.is_valid_number(number) or phonenumbers.region_code_for_number(number) not in {
        "FR",
        "GP",
        "MQ",
        "GF",
        "RE",
        "YT",
        "PM",
        "BL",
        "MF",
    }:
        raise ValidationError(
            _("Indiquez un numéro de téléphone français, par exemple 06 12 34 56 78."), code="invalid_phone"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_french_phone(value: str) -> None:
    normalise_french_phone(value)
