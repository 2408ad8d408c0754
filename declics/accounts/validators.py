import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# France and the overseas départements and collectivities with their own calling codes.
FRENCH_REGIONS = ("FR", "RE", "GP", "MQ", "GF", "YT", "PM", "BL", "MF")
# Numbers that can receive an SMS (FIXED_LINE_OR_MOBILE: ranges phonenumbers cannot tell apart).
SMS_NUMBER_TYPES = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)


def _parse_french(value: str) -> phonenumbers.PhoneNumber:
    value = value.strip()
    # Mayotte left the Comoros' code (+269) for +262 in 2007: old habits still type +269 639…
    compact = "".join(ch for ch in value if ch.isdigit() or ch == "+")
    for old in ("+269639", "00269639"):
        if compact.startswith(old):
            value = "+262639" + compact[len(old) :]
    for region in FRENCH_REGIONS:
        try:
            candidate = phonenumbers.parse(value, region)
        except phonenumbers.NumberParseException as error:
            raise ValidationError(
                _("Ce numéro de téléphone n'est pas valide."), code="invalid_phone"
            ) from error
        if phonenumbers.is_valid_number(candidate):
            if phonenumbers.region_code_for_number(candidate) in FRENCH_REGIONS:
                return candidate
            break
    raise ValidationError(
        _("Indiquez un numéro de téléphone français, par exemple 06 12 34 56 78."), code="invalid_phone"
    )


def normalise_french_phone(value: str) -> str:
    """Return the number in E.164 (+33…) or raise ValidationError with a French message.

    Accepts the ways people type a French number: 06 12 34 56 78, 06.12.34.56.78, +33 6 12…,
    0033 6 12… Overseas numbers are French numbers too, in international form (+262 692…) or in
    the national form used there (0692 12 34 56 is a Réunion mobile, not a metropolitan one).
    """
    return phonenumbers.format_number(_parse_french(value), phonenumbers.PhoneNumberFormat.E164)


def normalise_french_mobile(value: str) -> str:
    """Like `normalise_french_phone`, for a number that must receive SMS: a landline is refused."""
    number = _parse_french(value)
    if phonenumbers.number_type(number) not in SMS_NUMBER_TYPES:
        raise ValidationError(
            _(
                "Ce numéro est un fixe : il ne peut pas recevoir de SMS. "
                "Indiquez un numéro de portable, par exemple 06 12 34 56 78."
            ),
            code="landline",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_french_phone(value: str) -> None:
    normalise_french_phone(value)
