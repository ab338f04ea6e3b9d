"""The queue's ranking key, stored and indexed.

Why a stored key: with a weekly waiting weight w, a request's score is
    static points + w × (current week − week of submission)
  = (static points − w × week of submission) + w × current week,
so within one relais the order by score is the order by `cle_classement` = static points − w × week of submission,
which does not change with time: `ORDER BY … LIMIT 25` reads it from an index instead of scoring every open request.
Weeks are counted on fixed boundaries (Monday 0:00 UTC, `demandes.selectors.SemaineCalendaire`) for that to hold.

An urgent need that has no answer yet (new or taken in charge) comes first, by its 24 h deadline (`cle_urgence`,
date of submission + 24 h, NULL otherwise): ascending deadlines put the overdue ones first, whatever the time.

Why triggers: every write of a request (services, admin, factories, bulk COPY of the demo seed, other apps) and every
change of a relais' weights keeps the key in the same transaction, with no code path to forget. The expression below
mirrors `demandes.selectors.annoter_score`; `tests/demandes/test_classement.py` proves that the two give the same
order. One criterion depends on the date (« enfant de moins de 3 ans »): the nightly task
`demandes.tasks.rafraichir_cles_classement` recomputes the keys it concerns.
"""

from django.db import migrations, models

# Values frozen here as in any migration: open statuses, insertion situations, TIME_ZONE (Europe/Paris).
FONCTIONS = """
CREATE OR REPLACE FUNCTION demandes_calculer_cle() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    p demandes_parametresclassement%ROWTYPE;
    bas_revenus boolean;
    statique integer;
BEGIN
    SELECT * INTO p FROM demandes_parametresclassement WHERE relais_id = NEW.relais_id;
    bas_revenus := NEW.rsa OR COALESCE(NEW.quotient_familial < p.seuil_qf, false) OR NEW.tranche_qf = 'moins_700';
    statique := CASE WHEN NEW.urgence THEN p.poids_urgence ELSE 0 END
        + CASE WHEN NEW.situation_parent1 IN ('recherche_emploi', 'formation', 'insertion')
                 OR COALESCE(NEW.situation_parent2 IN ('recherche_emploi', 'formation', 'insertion'), false)
               THEN p.poids_insertion ELSE 0 END
        + CASE WHEN bas_revenus THEN p.poids_bas_revenus ELSE 0 END
        + CASE WHEN NEW.parent_isole
                 AND NEW.enfant_date > ((now() AT TIME ZONE 'Europe/Paris')::date - interval '3 years')::date
               THEN p.poids_parent_isole ELSE 0 END
        + CASE WHEN NEW.enfant_a_naitre AND NEW.premier_enfant AND bas_revenus THEN p.poids_premier_enfant ELSE 0 END
        + CASE WHEN NEW.handicap THEN p.poids_handicap ELSE 0 END;
    NEW.cle_classement := COALESCE(
        statique - p.poids_semaine_attente
            * FLOOR((EXTRACT(EPOCH FROM NEW.date_depot) + 345600) / 604800)::integer,
        0
    );
    NEW.cle_urgence := CASE WHEN NEW.urgence AND NEW.statut IN ('nouvelle', 'prise_en_charge')
                            THEN NEW.date_depot + interval '24 hours' END;
    RETURN NEW;
END
$$;

CREATE TRIGGER demandes_demande_cle BEFORE INSERT OR UPDATE ON demandes_demande
    FOR EACH ROW EXECUTE FUNCTION demandes_calculer_cle();

-- New weights: the relais' open requests are ranked again, in the transaction that changes them (one UPDATE,
-- the row trigger above computes each key).
CREATE OR REPLACE FUNCTION demandes_reclasser_relais() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE demandes_demande SET cle_classement = cle_classement
     WHERE relais_id = NEW.relais_id
       AND statut IN ('nouvelle', 'prise_en_charge', 'rdv_propose', 'rdv_realise', 'propositions_faites');
    RETURN NULL;
END
$$;

CREATE TRIGGER demandes_parametres_reclasser AFTER INSERT OR UPDATE ON demandes_parametresclassement
    FOR EACH ROW EXECUTE FUNCTION demandes_reclasser_relais();
"""

SUPPRESSION = """
DROP TRIGGER IF EXISTS demandes_parametres_reclasser ON demandes_parametresclassement;
DROP FUNCTION IF EXISTS demandes_reclasser_relais();
DROP TRIGGER IF EXISTS demandes_demande_cle ON demandes_demande;
DROP FUNCTION IF EXISTS demandes_calculer_cle();
"""

# Existing open requests get their key (closed ones are outside the queue's index; any later write computes theirs).
REMPLISSAGE = """
UPDATE demandes_demande SET cle_classement = cle_classement
 WHERE statut IN ('nouvelle', 'prise_en_charge', 'rdv_propose', 'rdv_realise', 'propositions_faites');
ANALYZE demandes_demande;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("demandes", "0006_historique_demande_vers_created_at"),
        ("relais", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="demande",
            name="cle_classement",
            field=models.IntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="demande",
            name="cle_urgence",
            field=models.DateTimeField(editable=False, null=True),
        ),
        migrations.RunSQL(FONCTIONS, SUPPRESSION),
        migrations.RunSQL(REMPLISSAGE, migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name="demande",
            index=models.Index(
                models.F("relais"),
                models.OrderBy(models.F("cle_urgence"), nulls_last=True),
                models.OrderBy(models.F("cle_classement"), descending=True),
                models.F("date_depot"),
                models.F("id"),
                condition=models.Q(
                    (
                        "statut__in",
                        ("nouvelle", "prise_en_charge", "rdv_propose", "rdv_realise", "propositions_faites"),
                    )
                ),
                name="demande_file_classee_idx",
            ),
        ),
    ]
