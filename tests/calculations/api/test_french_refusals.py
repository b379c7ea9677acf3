"""Every kind of refused upload is worded in French with `Accept-Language: fr`: the Fluid Topics and
OpenAI readers, encodings, CSV, YAML, xlsx workbooks and the API's own refusals; the input's own text
(keys, values, exception details) is quoted as it is. In English, the same refusals keep their wording."""

from __future__ import annotations

import json

import pytest
from xlsx_testing import XLSX, workbook

FRENCH = {"HTTP_ACCEPT_LANGUAGE": "fr"}
DAY = "2025-01-01"
DAY_START = 1735689600  # 2025-01-01T00:00:00Z
NEXT_DAY_START = DAY_START + 86400


def fluidtopics(*sources) -> bytes:
    return json.dumps({"results": list(sources)}).encode()


def source(name="chatbot", ident=None, *periods) -> dict:
    found = {"name": name, "periods": list(periods)} if name is not None else {"periods": list(periods)}
    return {**found, "id": ident} if ident is not None else found


def period(start=DAY, end="2025-01-02", count=5, key="aiQueryCount") -> dict:
    return {"periodStartDate": start, "periodEndDate": end, key: count}


def openai_page(*buckets, has_more=False) -> dict:
    return {"object": "page", "data": list(buckets), "has_more": has_more}


def bucket(*results, start=DAY_START, end=NEXT_DAY_START) -> dict:
    return {"object": "bucket", "start_time": start, "end_time": end, "results": list(results)}


def result(model="llama-3.1-70b-instruct", **changes) -> dict:
    found = {"object": "organization.usage.completions.result", "num_model_requests": 3, "input_tokens": 30,
             "output_tokens": 60, "model": model}
    return {key: value for key, value in {**found, **changes}.items() if value is not None}


def openai(*pages) -> bytes:
    return json.dumps(pages[0] if len(pages) == 1 else list(pages)).encode()



CSV_HEADER = "date,profile,inferences\n"
FLUIDTOPICS_SOURCE_PERIODS = {"results": [{"name": "chatbot", "periods": [5]}]}

# (what is refused, body, content type, the French message of the first issue (start of it when it ends with "…"))
REFUSALS = [
    ("Fluid Topics results not a list", json.dumps({"results": 5}).encode(), "application/json",
     "results doit être une liste de profils Fluid Topics ; reçu : un nombre"),
    ("Fluid Topics profile not a mapping", fluidtopics(5), "application/json",
     "un profil Fluid Topics doit être un dictionnaire ; reçu : un nombre"),
    ("Fluid Topics id twice", fluidtopics(source("chatbot", "a"), source("chatbot", "a")), "application/json",
     "l’identifiant de profil Fluid Topics 'a' apparaît deux fois (première occurrence en results[0].id)"),
    ("Fluid Topics periods not a list", fluidtopics({"name": "chatbot", "periods": 5}), "application/json",
     "periods doit être une liste ; reçu : un nombre"),
    ("Fluid Topics profile matching nothing", fluidtopics(source("robot", None, period())), "application/json",
     "le profil Fluid Topics 'robot' ne correspond à aucun profil d’usage : ajoutez son identifiant ou son nom aux "
     "alias d’un profil d’usage dans la méthodologie, ou nommez-le (ou donnez-lui un type) d’après le code d’un "
     "profil d’usage ; profils d’usage : chatbot (…"),
    ("Fluid Topics profile without a name", fluidtopics(source(None, "x9", period())), "application/json",
     "le profil Fluid Topics (sans nom) (id 'x9') ne correspond à aucun profil d’usage…"),
    ("Fluid Topics period not a mapping", json.dumps(FLUIDTOPICS_SOURCE_PERIODS).encode(), "application/json",
     "une période doit être un dictionnaire ; reçu : un nombre"),
    ("Fluid Topics period ending before it starts", fluidtopics(source("chatbot", None, period(end="2024-12-31"))),
     "application/json", "la période se termine avant de commencer"),
    ("Fluid Topics period longer than a day", fluidtopics(source("chatbot", None, period(end="2025-01-08"))),
     "application/json",
     'les périodes doivent durer un jour, celle-ci dure 7 jours du 2025-01-01 au 2025-01-08 : exportez avec '
     '"groupByPeriod": "day"'),
    ("Fluid Topics periods starting the same day", fluidtopics(source("chatbot", None, period(), period())),
     "application/json", "ce profil Fluid Topics a deux périodes commençant le 2025-01-01…"),
    ("Fluid Topics ai and genai counts mixed",
     fluidtopics(source("chatbot", None, period(), period(start="2025-01-02", end="2025-01-03", key="genaiQueryCount"))),
     "application/json",
     "les périodes mélangent aiQueryCount et genaiQueryCount : envoyez séparément les exports ai et genai"),
    ("Fluid Topics counts adding up above 10^12",
     fluidtopics(source("chatbot", "a", period(count=600_000_000_000)), source("chatbot", "b", period(count=600_000_000_000))),
     "application/json", "2025-01-01 chatbot : les nombres additionnés dépassent 10^12"),
    ("OpenAI report with more pages", openai(openai_page(has_more=True)), "application/json",
     "le rapport continue sur d’autres pages (has_more: true) : envoyez toutes ses pages en une seule liste"),
    ("OpenAI item not a page", openai(openai_page(), {"object": "list"}), "application/json",
     "chaque élément doit être une page d’usage OpenAI (object: page)"),
    ("OpenAI data not a list", openai({"object": "page", "data": 5}), "application/json",
     "data doit être une liste de tranches (buckets) ; reçu : un nombre"),
    ("OpenAI bucket not a mapping", openai(openai_page(5)), "application/json",
     "une tranche (bucket) doit être un dictionnaire ; reçu : un nombre"),
    ("OpenAI results not a list", openai(openai_page({**bucket(), "results": 5})), "application/json",
     "results doit être une liste ; reçu : un nombre"),
    ("OpenAI result not a mapping", openai(openai_page(bucket(5))), "application/json",
     "un résultat doit être un dictionnaire ; reçu : un nombre"),
    ("OpenAI embeddings report", openai(openai_page(bucket(result(object="organization.usage.embeddings.result")))),
     "application/json",
     "seul le rapport d’usage des complétions est accepté (object organization.usage.completions.result)"),
    ("OpenAI page sent twice", openai(openai_page(bucket(result(), result()))), "application/json",
     "le même début de tranche et le même regroupement (modèle, projet, utilisateur, clé, lot, niveau de service) "
     "apparaissent deux fois : une page a-t-elle été envoyée deux fois ? (première occurrence en data[0].results[0])"),
    ("OpenAI bucket longer than a day", openai(openai_page(bucket(result(), end=DAY_START + 7 * 86400))),
     "application/json",
     "les tranches (buckets) doivent durer au plus un jour : demandez le rapport avec bucket_width 1d, 1h ou 1m"),
    ("OpenAI report without models", openai(openai_page(bucket(result(model=None)))), "application/json",
     "le rapport n’a pas de modèle (pas de regroupement par modèle) : indiquez de quel profil d’usage il s’agit avec "
     "l’option profile (CLI --profile) ; profils d’usage : chatbot, …"),
    ("OpenAI cached tokens above the input tokens", openai(openai_page(bucket(result(input_cached_tokens=31)))),
     "application/json",
     "input_cached_tokens ne peut pas dépasser input_tokens : les jetons en cache sont comptés parmi les jetons "
     "d’entrée"),
    ("OpenAI model matching nothing", openai(openai_page(bucket(result(model="mystery-model")))), "application/json",
     "le modèle 'mystery-model' ne correspond à aucun profil d’usage : ajoutez-le (ou son nom sans le suffixe de "
     "date) aux alias d’un profil d’usage dans la méthodologie, ou envoyez le fichier avec l’option "
     "unknown_models=generic ; profils d’usage : chatbot (…"),
    ("UTF-16 file", "date,profile,inferences\n".encode("utf-16"), "text/csv",
     "le fichier est en UTF-16 ou UTF-32 (indicateur d’ordre des octets à l’octet 0) ; enregistrez le fichier en UTF-8"),
    ("Latin-1 file", (CSV_HEADER + "2025-01-01,caf\xe9,1\n").encode("latin-1"), "text/csv",
     "le fichier n’est pas en UTF-8 : l’octet 0xE9 à la position 38 (en octets) ne peut pas être décodé (Latin-1, "
     "Windows-1252 ou données binaires ?) ; enregistrez le fichier en UTF-8"),
    ("NUL byte", (CSV_HEADER + "2025-01-01,chatbot,1\x00\n").encode(), "text/csv",
     "octet NUL à la position 44 (en octets) : le fichier semble être en UTF-16 ou contenir des données binaires ; "
     "enregistrez le fichier en UTF-8"),
    ("CSV row of the wrong width", (CSV_HEADER + "2025-01-01,chatbot\n").encode(), "text/csv",
     "3 cellules attendues comme dans l’en-tête, 2 reçues"),
    ("malformed CSV", (CSV_HEADER + '2025-01-01,chatbot,"12\n2025-01-02,chatbot,3\n').encode(), "text/csv",
     "CSV non valide : unexpected end of data"),
    ("unknown CSV column", b"date,profile,inferences,colour\n2025-01-01,chatbot,1,red\n", "text/csv",
     "colonne inconnue 'colour' ; colonnes acceptées : date, day, …"),
    ("repeated CSV column", b"date,profile,inferences,count\n2025-01-01,chatbot,1,2\n", "text/csv",
     "la colonne 'count' répète 'inferences'"),
    ("YAML alias", b"days:\n  - &a {date: 2025-01-01, usages: {chatbot: 1}}\n  - *a\n", "application/yaml",
     "les ancres YAML (&nom) sont refusées"),
    ("YAML alias without an anchor", b"days:\n  - *a\n", "application/yaml", "les alias YAML (*nom) sont refusés"),
    ("a workbook that is no zip", b"PK\x03\x04 damaged", XLSX,
     "classeur .xlsx non valide (un fichier zip) : File is not a zip file"),
    ("a value right of the header", workbook(["date", "profile", "inferences"], [DAY, "chatbot", 1, "note"]),
     XLSX,
     "une valeur à droite des 3 colonnes de l’en-tête"),
]


@pytest.fixture
def post(api_client, methodology_v1):
    def _post(body: bytes, content_type: str, query: str = "", **headers):
        return api_client.post(f"/api/energy{query}", data=body, content_type=content_type, **headers)

    return _post


def matches(message: str, expected: str) -> bool:
    return message.startswith(expected[:-1]) if expected.endswith("…") else message == expected


@pytest.mark.parametrize(("refused", "body", "content_type", "french"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_each_refused_upload_is_worded_in_french(post, refused, body, content_type, french):
    response = post(body, content_type, **FRENCH)
    assert response.status_code == 400, response.content
    message = response.json()["error"]["details"][0]["message"]
    assert matches(message, french), message


@pytest.mark.parametrize(("refused", "body", "content_type", "french"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_each_refused_upload_stays_english_without_accept_language(post, refused, body, content_type, french):
    response = post(body, content_type)
    assert response.status_code == 400
    message = response.json()["error"]["details"][0]["message"]
    assert message.isascii() and not matches(message, french), message


def test_an_unused_profile_option_is_refused_in_french(post):
    response = post((CSV_HEADER + "2025-01-01,chatbot,1\n").encode(), "text/csv", query="?profile=chatbot", **FRENCH)
    assert response.status_code == 400
    assert response.json()["error"]["details"][0]["message"] == (
        "l’option de profil 'chatbot' ne sert qu’à nommer le profil d’usage d’un rapport d’usage OpenAI ou Anthropic non regroupé "
        "par modèle ; ce fichier (csv) nomme lui-même ses profils d’usage : envoyez-le sans l’option")


def test_a_workbook_unpacking_above_the_cap_is_refused_in_french(post, settings):
    data = workbook(["date", "profile", "inferences"], [DAY, "chatbot", 1])
    settings.ANALYTICS_MAX_UPLOAD_BYTES = len(data) + 100  # the file fits, its unpacked sheets do not
    response = post(data, XLSX, **FRENCH)
    assert response.status_code == 413 or response.status_code == 400
    message = response.json()["error"]["details"][0]["message"]
    assert message.startswith("le classeur se décompresse en ")
    assert message.endswith(f"octets, plus que la limite de {len(data) + 100:,} : envoyez moins de lignes ou un CSV")


def test_a_damaged_workbook_is_refused_in_french_with_the_library_s_detail(post):
    data = workbook(["date", "profile", "inferences"], [DAY, "chatbot", 1])
    response = post(data[:200] + b"\x00" * 10, XLSX, **FRENCH)
    assert response.status_code == 400
    assert response.json()["error"]["details"][0]["message"].startswith("classeur .xlsx non valide")


def test_an_unsupported_content_type_is_refused_in_french(post):
    response = post(b"<xml/>", "application/xml", **FRENCH)
    assert response.status_code == 415
    assert response.json()["error"]["message"] == (
        "Type de contenu non pris en charge 'application/xml' : envoyez multipart/form-data avec le champ "
        "'analytics_file', ou un corps brut en application/json, application/vnd.openxmlformats-officedocument."
        "spreadsheetml.sheet, application/x-yaml, application/yaml, text/csv, text/x-yaml, text/yaml.")


def test_an_empty_body_is_refused_in_french(post):
    response = post(b"", "text/csv", **FRENCH)
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "Le corps de la requête est vide : envoyez les analytics."


def test_an_unknown_api_endpoint_is_a_french_404(api_client):
    response = api_client.get("/api/nowhere", **FRENCH)
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Ce point d’accès de l’API n’existe pas."


def test_a_misspelt_option_is_refused_in_french(post):
    response = post((CSV_HEADER + "2025-01-01,chatbot,1\n").encode(), "text/csv", query="?regoin=france", **FRENCH)
    assert response.status_code == 400
    assert response.json()["error"]["details"][0]["message"].startswith(
        "ce point d’accès ne prend pas 'regoin' (il prend : ")


def test_an_option_given_twice_is_refused_in_french(post):
    response = post((CSV_HEADER + "2025-01-01,chatbot,1\n").encode(), "text/csv", query="?region=france&region=usa",
                    **FRENCH)
    assert response.status_code == 400
    assert response.json()["error"]["details"][0]["message"] == (
        "donnée 2 fois dans la chaîne de requête ; donnez-la une seule fois")


def test_a_form_field_and_a_query_parameter_that_disagree_are_refused_in_french(api_client, methodology_v1):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = api_client.post("/api/energy?region=france", {
        "analytics_file": SimpleUploadedFile("a.csv", (CSV_HEADER + "2025-01-01,chatbot,1\n").encode()),
        "region": "usa"}, format="multipart", **FRENCH)
    assert response.status_code == 400
    assert response.json()["error"]["details"][0]["message"] == (
        "donnée comme 'france' dans la chaîne de requête et comme 'usa' dans le corps")
