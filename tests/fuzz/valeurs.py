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


def _valeur_plausible(champ: Champ, aujourd_hui: date) -> str:
    """What a careful person would type: keeps the rest of the form valid while one field is fuzzed."""
    if champ.valeur:
        return champ.valeur
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


def valeurs_du_champ(champ: Champ, aujourd_hui: date) -> st.SearchStrategy:
    """Half the time a plausible value, otherwise something odd for this kind of field."""
    if champ.genre in ("checkbox", "radio") or (champ.genre == "select" and champ.options):
        plausible = st.sampled_from(champ.options) if champ.options else st.just("on")
        if champ.multiple:
            plausible = st.lists(st.sampled_from(champ.options), max_size=len(champ.options), unique=True)
        bizarre = st.one_of(id_invalide, n_importe_quoi, st.lists(n_importe_quoi, min_size=2, max_size=3))
        return st.one_of(plausible, st.just(ABSENT), bizarre)
    if champ.genre == "file":
        return st.one_of(
            st.just(ABSENT),
            st.binary(max_size=200),
            st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
            texte_enorme.map(lambda t: t.encode()),
            st.just(b"numero;nom\n" + b"\xff\xfe" * 10),
        )
    plausible = st.just(_valeur_plausible(champ, aujourd_hui))
    specifique = {
        "date": date_texte,
        "time": heure_texte,
        "datetime-local": datetime_texte,
        "month": mois_texte,
        "number": nombre_texte,
        "email": email_texte,
    }.get(champ.genre, n_importe_quoi)
    if champ.genre == "hidden":
        # Hidden fields carry state (tokens, the step's relais): kept most of the time, forged sometimes.
        return st.one_of(plausible, plausible, specifique, id_invalide)
    return st.one_of(plausible, specifique, n_importe_quoi, st.just(ABSENT))
