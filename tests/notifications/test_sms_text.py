"""Segments and cost of an SMS (GSM 03.38 / UCS-2), the fitting of French text to GSM-7, and the
sender name's check."""

from decimal import Decimal

import pytest
from django.core import checks

from declics.notifications import services, sms_text
from declics.notifications.checks import check_sms_settings


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 1),
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),  # 2 × 153
        ("a" * 307, 3),
        ("€" * 80, 1),  # extension characters count 2: 160 septets
        ("€" * 81, 2),
        ("a" * 159 + "€", 2),  # 161 septets
        ("a" * 152 + "€" + "a" * 153, 3),  # the € cannot be split across parts: it opens part 2
        ("é" * 160, 1),  # é, è, à, ù are GSM-7
        ("ê" * 70, 1),  # ê is not: UCS-2
        ("ê" * 71, 2),
        ("ê" * 134, 2),  # 2 × 67
        ("ê" * 135, 3),
        ("🎉" * 35, 1),  # an emoji is two UTF-16 units
        ("🎉" * 36, 2),
    ],
)
def test_segments(text, expected):
    assert sms_text.segments(text) == expected


def test_gsm7_covers_the_basic_set_and_the_extension_but_not_every_french_letter():
    assert sms_text.is_gsm7("Atelier CV : à 10h, salle Ç {lien} [ok] ~ | ^ € @ £ ¿")
    assert not sms_text.is_gsm7("Vous êtes inscrit·e")
    assert not sms_text.is_gsm7("Rendez-vous l’après-midi")


@pytest.mark.parametrize(
    ("text", "fitted"),
    [
        ("Rendez-vous l’après-midi « atelier » – à 10 h…", 'Rendez-vous l\'après-midi "atelier" - à 10 h...'),
        (
            "Vous êtes inscrite à l’atelier : ça commence bientôt",
            "Vous etes inscrite à l'atelier : ca commence bientot",
        ),
        ("Cœur de métier", "Coeur de métier"),
        (
            "Bravo, vous êtes inscrite 🎉",
            "Bravo, vous êtes inscrite 🎉",
        ),  # an emoji: UCS-2 anyway, accents kept
        ("Déjà parfait", "Déjà parfait"),
    ],
)
def test_fit_keeps_french_text_in_gsm7_where_only_typography_and_accents_stand_in_the_way(text, fitted):
    assert sms_text.fit(text) == fitted


def test_a_queued_sms_is_fitted_and_its_segments_stored(db, settings):
    settings.NOTIFICATIONS_KICK_ON_QUEUE = False
    text = "Votre atelier « Réussir son entretien » commence demain à 10 h. Vous êtes attendue !" * 2

    message, _ = services.queue_sms(key="fit:sms", to="+33612345678", text=text)

    assert sms_text.is_gsm7(message.body_text)
    assert (len(message.body_text), message.segments) == (164, 2)  # 2 in GSM-7; it would be 3 in UCS-2
    assert sms_text.segments(text) == 3


def test_estimated_cost_is_the_segments_times_the_price_to_the_cent(settings):
    settings.SMS_COST_PER_SEGMENT = 0.045
    assert sms_text.estimated_cost(0) == Decimal("0.00")
    assert sms_text.estimated_cost(3) == Decimal("0.14")  # 0.135 rounded half up
    assert sms_text.estimated_cost(1000) == Decimal("45.00")


@pytest.mark.parametrize("sender", ["DeClics", "DECLICS2026", "A", "Diversidays"])
def test_a_valid_sender_passes_the_check(settings, sender):
    settings.SMS_SENDER = sender
    assert check_sms_settings() == []


@pytest.mark.parametrize("sender", ["", "DéClics", "De Clics", "DeClicsNumeriques", "De-Clics", "0612345678"])
def test_an_invalid_sender_fails_the_check(settings, sender):
    settings.SMS_SENDER = sender

    [error] = check_sms_settings()

    assert (error.level, error.id) == (checks.ERROR, "notifications.E001")


def test_the_sender_check_is_registered(settings):
    settings.SMS_SENDER = "Dé Clics"
    assert "notifications.E001" in {message.id for message in checks.run_checks()}


def test_brevo_without_a_key_is_a_warning(settings):
    settings.SMS_BACKEND = "brevo"
    settings.BREVO_API_KEY = ""
    assert [message.id for message in check_sms_settings()] == ["notifications.W001"]
