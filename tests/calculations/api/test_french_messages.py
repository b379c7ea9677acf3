"""The API answers in French with `Accept-Language: fr`: its own messages, DRF's and the parser's;
in English otherwise, byte for byte as before."""

import pytest

CSV_WITH_A_NEGATIVE_COUNT = b"date,profile,inferences\n2025-01-01,chatbot,-5\n"
FRENCH = {"HTTP_ACCEPT_LANGUAGE": "fr"}


@pytest.fixture
def post_csv(api_client, methodology_v1):
    def _post(body, query="", **extra):
        return api_client.post(f"/api/energy{query}", data=body, content_type="text/csv", **extra)

    return _post


def test_a_parser_refusal_is_worded_in_french_with_the_input_left_as_it_is(post_csv):
    error = post_csv(CSV_WITH_A_NEGATIVE_COUNT, **FRENCH).json()["error"]
    assert error["details"][0]["message"] == (
        "inferences doit être un nombre entier de 0 à 10^12 (ni décimal, ni booléen, ni chaîne, ni null, ni NaN, "
        "ni infini) ; reçu : un nombre négatif"
    )
    assert error["message"].startswith("Les analytics ont été refusées (1 problème) : ligne 2, colonne 3; inferences:")
    assert error["message"].endswith("(reçu : -5)")


def test_the_same_refusal_stays_english_without_accept_language(post_csv):
    error = post_csv(CSV_WITH_A_NEGATIVE_COUNT).json()["error"]
    assert error["details"][0]["message"] == (
        "inferences must be a whole number from 0 to 10^12 (no floats, booleans, strings, null, NaN or infinity); "
        "got a negative number"
    )
    assert error["message"] == f"The analytics were refused (1 problem): line 2, column 3; inferences: " \
                               f"{error['details'][0]['message']} (got -5)"


def test_an_unknown_profile_lists_the_profiles_in_a_french_sentence(post_csv):
    error = post_csv(b"date,profile,inferences\n2025-01-01,robot,5\n", **FRENCH).json()["error"]
    assert error["details"][0]["message"].startswith("profil inconnu 'robot' (profils inconnus : robot ; profils connus : ")
    assert "chatbot" in error["details"][0]["message"]


def test_an_unknown_region_is_refused_in_french(post_csv):
    error = post_csv(b"date,profile,inferences\n2025-01-01,chatbot,5\n", query="?region=mars", **FRENCH).json()["error"]
    assert error["message"].startswith("Région inconnue 'mars' dans la méthodologie v1 ; régions connues : ")


def test_drf_validation_messages_are_in_french(api_client, methodology_v1):
    response = api_client.post("/api/energy?save=peut-etre", data=b"x", content_type="text/csv", **FRENCH)
    assert response.status_code == 400
    assert "booléen" in response.json()["error"]["message"]


def test_our_query_validation_messages_are_in_french(api_client, methodology_v1):
    response = api_client.get("/api/periods?runs=a,b", **FRENCH)
    assert response.status_code == 400
    assert "numéros de calcul séparés par des virgules" in response.json()["error"]["message"]


def test_a_missing_version_is_a_french_404(api_client, methodology_v1):
    response = api_client.get("/api/methodology/versions/9", **FRENCH)
    assert response.json()["error"]["message"] == "Aucune version 9 publiée de la méthodologie."
