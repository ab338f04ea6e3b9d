"""Hypothesis strategies for what a person (or a script) may type in each kind of form field."""

from datetime import date, timedelta

from hypothesis import strategies as st

from tests.fuzz.html import Champ

ABSENT = object()  # the field is left out of the submission altogether

# Text in every Unicode category (control characters, NUL, lone surrogates excluded by UTF-8 only),
# right-to-left and combining marks, emoji.
texte_unicode = st.text(st.characters(codec="utf-8"), max_size=40)
texte_controle = st.text(st.characters(min_codepoint=0, max_codepoint=0x1F), min_size=1, max_size=5)
# Huge strings are built by repetition: generating 100k random characters one by one is too slow.
texte_enorme = st.builds(
    lambda motif, n: (motif * (n // max(1, len(motif)) + 1))[:n],
    st.sampled_from(["a", "é", "日本", "😀", "x\x00", "<script>", "1"]),
    st.integers(min_value=10_000, max_value=100_000),
)
avec_nul = st.builds(lambda a, b: f"{a}\x00{b}", st.text(max_size=5), st.text(max_size=5))
nombre_texte = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(
        [
            "2147483647",
            "2147483648",
            "-2147483649",
            "9223372036854775808",
            "1e309",
            "-1e309",
            "nan",
            "NaN",
            "inf",
            "-inf",
            "Infinity",
            "1e-400",
            "0.0000000000000000001",
            "12,5",
            "12.5",
            "1 000",
            "١٢",
            "１２",
            "-0",
            "+3",
            "0x10",
            "1_000",
            "99999999999999999999.99",
            "3" * 60,
        ]
    ),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)
date_texte = st.one_of(
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).flatmap(
        lambda d: st.sampled_from(
            [d.isoformat(), d.strftime("%d/%m/%Y"), d.strftime("%d/%m/%y"), d.strftime("%Y%m%d")]
        )
    ),
    st.sampled_from(
        [
            "0000-00-00",
            "2024-02-30",
            "2023-02-29",
            "2024-13-01",
            "31/12/9999",
            "01/01/0001",
            "10000-01-01",
            "-0001-01-01",
            "1-1-1",
            "2024-1-1",
            "2024-01-01T00:00",
            "2024-01-01 25:00",
            "demain",
            "29 février",
            "2024-W01",
            "2024-01",
        ]
    ),
)
heure_texte = st.one_of(
    st.times().map(lambda t: t.isoformat()),
    st.sampled_from(["24:00", "25:61", "99:99:99", "12h30", "-1:00", "12:00:60", "7", "0:0"]),
)
datetime_texte = st.one_of(
    st.builds(lambda d, h: f"{d}T{h}", date_texte, heure_texte),
    st.datetimes(min_value=__import__("datetime").datetime(1, 1, 2)).map(lambda d: d.isoformat(timespec="minutes")),
    st.sampled_from(["9999-12-31T23:59", "0001-01-01T00:00", "2024-03-31T02:30", "2024-10-27T02:30"]),
)
mois_texte = st.one_of(
    st.builds(lambda a, m: f"{a:04d}-{m:02d}", st.integers(0, 12000), st.integers(0, 99)),
    st.sampled_from(["2024-13", "9999-12", "0001-01", "2024", "janvier"]),
)
email_texte = st.one_of(
    st.emails().map(str),
    st.sampled_from(["a@b", "@", "x@x.x", "é@é.fr", "a" * 300 + "@exemple.fr", "a@" + "b" * 300 + ".fr", "a b@c.fr"]),
)
id_invalide = st.sampled_from(["0", "-1", "999999999", "2147483648", "99999999999999999999", "abc", "1.5", " ", "1;2"])

n_importe_quoi = st.one_of(
    texte_unicode, texte_controle, texte_enorme, avec_nul, nombre_texte, date_texte, st.just("")
)


# Fields whose name says what a valid value looks like.
PLAUSIBLES_PAR_NOM = {
    "telephone": "06 12 34 56 78",
    "siret": "732 829 320 00074",
    "numero_caf": "1234567",
    "heures": "120",
    "salaire_horaire": "4,85",
    "ressources": "1 500",
    "indemnites": "0",
}


def _valeur_plausible(champ: Champ, aujourd_hui: date) -> str:
    """What a careful person would type: keeps the rest of the form valid while one field is fuzzed."""
    if champ.valeur:
        return champ.valeur
    for morceau, valeur in PLAUSIBLES_PAR_NOM.items():
        if morceau in champ.nom:
            return valeur
    return {
        "date": (aujourd_hui + timedelta(days=30)).isoformat(),
        "time": "09:00",
        "datetime-local": f"{aujourd_hui + timedelta(days=7)}T10:00",
        "month": aujourd_hui.strftime("%Y-%m"),
        "number": "2",
        "email": "fuzz@exemple.fr",
        "tel": "06 12 34 56 78",
        "password": "Motdepasse-tres-long-42",
    }.get(champ.genre, "Camille")


def _csv(entete: str) -> st.SearchStrategy:
    """A file with the expected header and rows of odd cells (which may hold commas, quotes, line breaks)."""
    # 140,000 characters: past the csv module's limit for one cell (131,072).
    cellule = st.one_of(
        st.just(""), texte_unicode, nombre_texte, date_texte, email_texte, texte_controle, st.just("x" * 140_000)
    )
    ligne = st.lists(cellule, min_size=1, max_size=len(entete.split(",")) + 1).map(",".join)
    encodage = st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16"])
    return st.builds(
        lambda lignes, codec: "\n".join([entete, *lignes]).encode(codec, errors="replace"),
        st.lists(ligne, min_size=1, max_size=4),
        encodage,
    )


def valeur_positive(champ: Champ, aujourd_hui: date):
    """One valid value that says yes: a ticked box, the current or first real option, the plausible text."""
    if champ.genre == "file":
        return ABSENT
    if champ.genre in ("checkbox", "radio", "select") and champ.options:
        if champ.valeur in champ.options and champ.valeur:
            return champ.valeur
        return next((option for option in champ.options if option), champ.options[0])
    return _valeur_plausible(champ, aujourd_hui)


def valeur_de_la_page(champ: Champ, aujourd_hui: date):
    """What the form holds as shown (boxes as ticked, the selected option), the plausible text where empty."""
    if champ.genre == "file":
        return ABSENT
    if champ.genre == "checkbox":
        return champ.options[0] if champ.coche else ABSENT
    if champ.genre in ("radio", "select"):
        return champ.valeur if champ.valeur in champ.options else (champ.options[0] if champ.options else ABSENT)
    return _valeur_plausible(champ, aujourd_hui)


def plausible(champ: Champ, aujourd_hui: date) -> st.SearchStrategy:
    """What a careful person would choose or type in this field."""
    if champ.genre == "checkbox" and champ.multiple:
        return st.lists(st.sampled_from(champ.options), max_size=len(champ.options), unique=True)
    if champ.genre == "checkbox":
        # The page's state first, so that a failure shrinks towards it.
        return st.sampled_from([champ.options[0], ABSENT] if champ.coche else [ABSENT, champ.options[0]])
    if champ.genre in ("radio", "select") and champ.options:
        if champ.multiple:
            return st.lists(st.sampled_from(champ.options), max_size=len(champ.options), unique=True)
        courante = [champ.valeur] if champ.valeur in champ.options else []
        return st.sampled_from(courante + [o for o in champ.options if o not in courante])
    if champ.genre == "file":
        return _csv(champ.valeur) if champ.valeur else st.just(b"")
    return st.just(_valeur_plausible(champ, aujourd_hui))


def _mutations(valeur) -> st.SearchStrategy:
    """A valid value, slightly spoiled: the cases a validator forgets (a NUL after "on", padding, a huge repeat)."""
    if not isinstance(valeur, str) or not valeur:
        return st.nothing()
    return st.sampled_from(
        [
            valeur + "\x00",
            "\x00" + valeur,
            f"  {valeur}  ",
            valeur + "\u202e",
            valeur * (20_000 // len(valeur) + 1),
            valeur.upper(),
            valeur + "0",
            "-" + valeur,
        ]
    )


def bizarre(champ: Champ, aujourd_hui: date) -> st.SearchStrategy:
    """Something odd for this kind of field: what a script, a broken browser or a distracted person sends."""
    presque = plausible(champ, aujourd_hui).flatmap(_mutations)
    if champ.genre in ("checkbox", "radio", "select"):
        return st.one_of(presque, id_invalide, n_importe_quoi, st.lists(n_importe_quoi, min_size=2, max_size=3))
    if champ.genre == "file":
        return st.one_of(
            st.binary(max_size=200),
            st.text(max_size=200).map(str.encode),
            texte_enorme.map(str.encode),
            _csv(champ.valeur or "a,b"),
        )
    specifique = {
        "date": date_texte,
        "time": heure_texte,
        "datetime-local": datetime_texte,
        "month": mois_texte,
        "number": nombre_texte,
        "email": email_texte,
        "hidden": id_invalide,
    }.get(champ.genre, n_importe_quoi)
    return st.one_of(presque, specifique, n_importe_quoi)


@st.composite
def saisie(draw, champs: list[Champ], aujourd_hui: date) -> dict:
    """A whole submission: plausible values, with a few fields (or sometimes all) made odd or left out.

    Keeping most fields plausible lets examples get past the first error and reach the code that saves.
    """
    valeurs = {champ.nom: draw(plausible(champ, aujourd_hui)) for champ in champs}
    noms = [champ.nom for champ in champs]
    if not noms:
        return valeurs
    tout = len(noms) > 1 and draw(st.integers(min_value=0, max_value=3)) == 0
    perturbes = noms if tout else draw(st.lists(st.sampled_from(noms), max_size=min(3, len(noms)), unique=True))
    par_nom = {champ.nom: champ for champ in champs}
    for nom in perturbes:
        champ = par_nom[nom]
        valeurs[nom] = draw(st.one_of(bizarre(champ, aujourd_hui), st.just(ABSENT)))
    return valeurs
