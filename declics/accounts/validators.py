import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# France and the overseas départements and collectivities with their own calling codes.
FRENCH_REGIONS = ("FR", "RE", "GP", "MQ", "GF", "YT", "PM", "BL", "MF")


def normalise_french_phone(value: str) -> str:
    """Return the number in E.164 (+33…) or raise ValidationError with a French message.

    Accepts the ways people type a French number: 06 12 34 56 78, 06.12.34.56.78, +33 6 12…
    Overseas numbers are French numbers too, in international form (+262 692…) or in the
    national form used there (0692 12 34 56 is a Réunion mobile, not a metropolitan one).
    """
    number = None
    for region in FRENCH_REGIONS:
        try:
            candidate = phonenumbers.parse(value, region)
        except phonenumbers.NumberParseException as error:
            raise ValidationError(
                _("Ce numéro de téléphone n'est pas valide."), code="invalid_phone"
            ) from error
        if phonenumbers.is_valid_number(candidate):
            number = candidate
            break
    if number is None or phonenumbers.region_code_for_number(number) not in FRENCH_REGIONS:
        raise ValidationError(
            _("Indiquez un numéro de téléphone français, par exemple 06 12 34 56 78."), code="invalid_phone"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_french_phone(value: str) -> None:
    normalise_french_phone(value)
