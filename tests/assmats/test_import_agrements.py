from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from assmats.import_agrements import importer
from assmats.models import Agrement, AssistantMaternel
from tests.assmats.factories import AgrementFactory
from tests.factories import CommuneFactory, UserFactory

pytestmark = pytest.mark.django_db

EXEMPLE = Path(__file__).parent / "data" / "agrements.csv"
ENTETE = (
    "numero_agrement,nom,prenom,email,telephone,adresse,code_insee,date_delivrance,date_fin_validite,"
    "capacite_totale,capacite_moins_3_ans,capacite_periscolaire\n"
)
BONNE_LIGNE = "AGR-1,Martin,Sylvie,,,,34172,2022-09-01,2027-08-31,4,3,0\n"


@pytest.fixture(autouse=True)
def montpellier():
    return CommuneFactory(code_insee="34172", nom="Montpellier")


def test_sans_apply_le_fichier_est_verifie_et_rien_n_est_ecrit():
    rapport = importer(EXEMPLE.read_text(encoding="utf-8"), appliquer=False)

    assert (rapport.crees, rapport.mis_a_jour, rapport.rejets) == (3, 0, [])
    assert not rapport.applique
    assert not AssistantMaternel.objects.exists()


def test_avec_apply_les_assmats_et_agrements_sont_crees():
    call_command("import_agrements", EXEMPLE, apply=True)

    sylvie = AssistantMaternel.objects.get(agrement__numero="AGR-34-0001")
    assert (sylvie.prenom, sylvie.nom, sylvie.telephone, sylvie.commune.nom) == (
        "Sylvie",
        "Martin",
        "0467000001",
        "Montpellier",
    )
    assert (sylvie.agrement.capacite_totale, sylvie.agrement.capacite_moins_3_ans) == (4, 3)
    assert Agrement.objects.get(numero="AGR-34-0002").date_fin_validite.isoformat() == "2026-03-14"


def test_un_second_import_met_a_jour_par_numero_d_agrement():
    call_command("import_agrements", EXEMPLE, apply=True)
    rapport = importer(ENTETE + "AGR-34-0001,Martin,Sylvie,,,,34172,2022-09-01,2032-08-31,5,4,0\n", appliquer=True)

    assert (rapport.crees, rapport.mis_a_jour) == (0, 1)
    agrement = Agrement.objects.get(numero="AGR-34-0001")
    assert (agrement.capacite_totale, agrement.date_fin_validite.year) == (5, 2032)
    assert agrement.assistant_maternel.email == "sylvie.martin@exemple.fr"
    assert AssistantMaternel.objects.count() == 3


@pytest.mark.parametrize(
    ("ligne", "motif"),
    [
        ("AGR-2,,Sylvie,,,,34172,2022-09-01,2027-08-31,4,3,0", "champ(s) vide(s) : nom"),
        ("AGR-2,Roux,Léa,,,,99999,2022-09-01,2027-08-31,4,3,0", "commune « 99999 » inconnue"),
        ("AGR-2,Roux,Léa,pas-un-email,,,34172,2022-09-01,2027-08-31,4,3,0", "e-mail « pas-un-email » invalide"),
        ("AGR-2,Roux,Léa,,12,,34172,2022-09-01,2027-08-31,4,3,0", "téléphone « 12 » invalide"),
        ("AGR\u20132,Roux,Léa,,,,34172,2022-09-01,2027-08-31,4,3,0", "Le caractère « \u2013 » n'est pas accepté."),
        ("AGR-2,Roux,Léa,,,,34172,01-09-2022,2027-08-31,4,3,0", "date_delivrance « 01-09-2022 » n'est pas une date"),
        ("AGR-2,Roux,Léa,,,,34172,2022-09-01,2021-08-31,4,3,0", "date_fin_validite doit suivre date_delivrance"),
        (
            "AGR-2,Roux,Léa,,,,34172,2022-09-01,2027-08-31,7,3,0",
            "capacite_totale « 7 » doit être un entier entre 0 et 6",
        ),
        (
            "AGR-2,Roux,Léa,,,,34172,2022-09-01,2027-08-31,4,5,0",
            "capacite_moins_3_ans « 5 » doit être un entier entre 0 et 4",
        ),
        ("AGR-2,Roux,Léa,,,,34172,2022-09-01,2027-08-31,2,3,0", "capacités incohérentes"),
        ("AGR-2,Roux,Léa,,,,34172,2022-09-01,2027-08-31,0,0,0", "capacite_totale doit être d'au moins 1"),
        ("AGR-2,Roux,Léa,,,,34172,2022-09-01,2027-08-31,quatre,3,0", "capacite_totale « quatre »"),
        ("AGR-1,Roux,Léa,,,,34172,2022-09-01,2027-08-31,4,3,0", "agrément AGR-1 déjà présent ligne 2"),
        # More cells than columns: csv puts the extra ones in a list, which crashed the import.
        ("AGR-2,Roux,Léa,,,,34172,2022-09-01,2027-08-31,4,3,0,,", "2 cellule(s) de plus que les colonnes"),
    ],
)
def test_chaque_ligne_invalide_est_rejetee_avec_son_numero_et_rien_n_est_ecrit(ligne, motif):
    rapport = importer(ENTETE + BONNE_LIGNE + ligne + "\n", appliquer=True)

    assert len(rapport.rejets) == 1
    assert rapport.rejets[0].ligne == 3
    assert motif in rapport.rejets[0].motif
    assert not rapport.applique
    assert not AssistantMaternel.objects.exists()


@pytest.mark.parametrize(
    ("ligne", "motif"),
    [
        (
            'AGR-2,"=HYPERLINK(""http://exemple.invalid"";""Cliquez"")",Léa,,,,34172,2022-09-01,2027-08-31,4,3,0',
            'nom « =HYPERLINK("http://exemple.invalid";"Cliquez") » commence par « = »',
        ),
        ("AGR-2,Roux,@SUM(A1:A9),,,,34172,2022-09-01,2027-08-31,4,3,0", "prenom « @SUM(A1:A9) » commence par « @ »"),
        ("AGR-2,Roux,Léa,,,+33 rue X,34172,2022-09-01,2027-08-31,4,3,0", "adresse « +33 rue X » commence par « + »"),
        ("-1+2,Roux,Léa,,,,34172,2022-09-01,2027-08-31,4,3,0", "numero_agrement « -1+2 » commence par « - »"),
        # Cells are stripped when read: a formula behind a tab is still one.
        ("AGR-2,\t=1+1,Léa,,,,34172,2022-09-01,2027-08-31,4,3,0", "nom « =1+1 » commence par « = »"),
    ],
)
def test_une_cellule_de_nom_qui_commence_comme_une_formule_est_refusee(ligne, motif):
    rapport = importer(ENTETE + BONNE_LIGNE + ligne + "\n", appliquer=True)

    assert [(rejet.ligne, rejet.motif) for rejet in rapport.rejets] == [
        (3, motif + " : une formule de tableur n'est pas acceptée, corrigez la cellule")
    ]
    assert not AssistantMaternel.objects.exists()


def test_un_nom_avec_un_tiret_ailleurs_qu_au_debut_est_accepte():
    rapport = importer(ENTETE + "AGR-2,Roux-Martin,Marie-Léa,,,,34172,2022-09-01,2027-08-31,4,3,0\n", appliquer=True)

    assert rapport.rejets == []
    assert AssistantMaternel.objects.get().nom == "Roux-Martin"


def test_une_cellule_trop_longue_pour_le_module_csv_est_signalee_en_francais():
    rapport = importer(ENTETE + BONNE_LIGNE + "AGR-2," + "x" * 140_000 + "\n", appliquer=True)

    assert rapport.rejets[0].motif.startswith("ligne illisible : une cellule dépasse 131 072 caractères")
    assert not rapport.applique
    assert not AssistantMaternel.objects.exists()


def test_des_colonnes_manquantes_sont_signalees():
    rapport = importer("numero;nom\nAGR-1;Martin\n", appliquer=True)

    assert "colonnes manquantes" in rapport.rejets[0].motif
    assert not AssistantMaternel.objects.exists()


def test_le_separateur_point_virgule_des_tableurs_francais_est_accepte():
    contenu = (ENTETE + BONNE_LIGNE).replace(",", ";")

    assert importer(contenu, appliquer=True).applique


def test_la_commande_refuse_d_appliquer_un_fichier_avec_des_rejets(tmp_path):
    fichier = tmp_path / "pmi.csv"
    fichier.write_text(ENTETE + BONNE_LIGNE + "AGR-2,,,,,,34172,x,y,1,1,0\n", encoding="utf-8")

    with pytest.raises(CommandError, match="Rien n'a été enregistré"):
        call_command("import_agrements", fichier, apply=True)
    assert not AssistantMaternel.objects.exists()


def test_un_admin_importe_par_la_page_de_depot(client):
    client.force_login(UserFactory(admin=True))
    fichier = SimpleUploadedFile("pmi.csv", EXEMPLE.read_bytes(), content_type="text/csv")

    response = client.post(reverse("assmats:import"), {"fichier": fichier, "appliquer": "on"})

    assert "Import enregistré" in response.content.decode()
    assert AssistantMaternel.objects.count() == 3


def test_la_page_de_depot_refuse_un_fichier_qui_n_est_pas_du_csv(client):
    client.force_login(UserFactory(admin=True))
    fichier = SimpleUploadedFile("pmi.xlsx", b"PK\x03\x04", content_type="application/octet-stream")

    response = client.post(reverse("assmats:import"), {"fichier": fichier})

    assert "Déposez un fichier .csv" in response.content.decode()


def _deposer(client, nom: str, contenu: bytes, **donnees):
    client.force_login(UserFactory(admin=True))
    return client.post(reverse("assmats:import"), {"fichier": SimpleUploadedFile(nom, contenu), **donnees})


@pytest.mark.parametrize("encodage", ["utf-8", "utf-8-sig", "cp1252", "latin-1"])
def test_un_csv_enregistre_par_un_tableur_francais_est_lu_avec_ses_accents(client, encodage):
    contenu = (ENTETE + BONNE_LIGNE.replace("Martin", "Müller-Hélène")).encode(encodage)

    response = _deposer(client, "pmi.csv", contenu, appliquer="on")

    assert "Import enregistré" in response.content.decode()
    assert AssistantMaternel.objects.get().nom == "Müller-Hélène"


@pytest.mark.parametrize(
    "contenu",
    [
        pytest.param(b"PK\x03\x04\x14\x00\x06\x00\x08\x00", id="classeur-xlsx-renomme"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", id="image-png-renommee"),
        pytest.param(ENTETE.encode("utf-16"), id="texte-utf16"),
        pytest.param((ENTETE + BONNE_LIGNE).encode() + b"\x00", id="octet-nul"),
    ],
)
def test_la_page_de_depot_refuse_un_fichier_csv_qui_n_est_pas_du_texte(client, contenu):
    response = _deposer(client, "pmi.csv", contenu, appliquer="on")

    assert response.status_code == 200
    assert "Ce fichier n&#x27;est pas un texte CSV" in response.content.decode()
    assert not AssistantMaternel.objects.exists()


def test_la_page_de_depot_refuse_un_fichier_trop_gros(client, settings):
    settings.IMPORT_CSV_TAILLE_MAX = 1024 * 1024
    contenu = (ENTETE + BONNE_LIGNE * 20_000).encode()
    assert len(contenu) > settings.IMPORT_CSV_TAILLE_MAX

    response = _deposer(client, "pmi.csv", contenu, appliquer="on")

    assert "Le fichier dépasse 1 Mo." in response.content.decode()
    assert not AssistantMaternel.objects.exists()


def test_le_fichier_depose_n_est_pas_enregistre_dans_les_medias(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"

    response = _deposer(client, "pmi.csv", EXEMPLE.read_bytes(), appliquer="on")

    assert "Import enregistré" in response.content.decode()
    assert not settings.MEDIA_ROOT.exists()


def test_un_fichier_a_la_taille_limite_reste_en_memoire_sans_passer_par_le_disque():
    from django.conf import settings

    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE >= settings.IMPORT_CSV_TAILLE_MAX


def test_un_agrement_existant_garde_sa_fiche():
    existant = AgrementFactory(numero="AGR-1")

    importer(ENTETE + BONNE_LIGNE, appliquer=True)

    assert AssistantMaternel.objects.get().pk == existant.assistant_maternel.pk


def test_les_chiffres_d_un_tableur_tapes_en_pleine_chasse_sont_enregistres_en_ascii():
    ligne = "AGR-٣٤,Roux,Léa,,０４ ６７ ００ ００ ０２,,34172,2022-09-01,2027-08-31,4,3,0\n"

    importer(ENTETE + ligne, appliquer=True)

    lea = AssistantMaternel.objects.get(prenom="Léa")
    assert (lea.agrement.numero, lea.telephone) == ("AGR-34", "0467000002")
