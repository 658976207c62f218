use super::*;
use crate::labour::money::Amount;
use proptest::prelude::*;

fn fields(e: &Problems) -> Vec<&str> {
    e.0.iter().map(|f| f.field.as_str()).collect()
}

fn stage() -> impl Strategy<Value = ProceedingStage> {
    proptest::sample::select(ProceedingStage::ALL.to_vec())
}

#[test]
fn a_proceeding_needs_kind_and_an_open_stage() {
    let e = RawProceeding::default().validate().expect_err("empty");
    assert_eq!(fields(&e), vec!["kind", "stage"]);
    let e = RawProceeding {
        kind: "criminal".into(),
        stage: "closed".into(),
        victim_role: "judge".into(),
        ..Default::default()
    }
    .validate()
    .expect_err("closed, bad role");
    assert_eq!(fields(&e), vec!["stage", "victim_role"]);
    let p = RawProceeding {
        kind: "criminal".into(),
        stage: "trial".into(),
        ..Default::default()
    }
    .validate()
    .expect("valid");
    assert_eq!(p.victim_role, VictimRole::None);
    assert_eq!(p.authority, None);
}

#[test]
fn perpetrators_need_a_role_and_checked_facts() {
    let e = RawPerpetrator::default().validate().expect_err("no role");
    assert_eq!(fields(&e), vec!["roles"]);
    let e = RawPerpetrator {
        roles: vec!["exploiter".into(), "villain".into()],
        sex: "x".into(),
        age_band: "old".into(),
        citizenship: "Narnia".into(),
        relation: "friend".into(),
        details: String::new(),
    }
    .validate()
    .expect_err("bad");
    assert_eq!(
        fields(&e),
        vec!["roles", "sex", "age_band", "citizenship", "relation"]
    );
    let ok = RawPerpetrator {
        roles: vec!["exploiter".into(), "recruiter_or_intermediary".into()],
        sex: "masculine".into(),
        age_band: "36_50".into(),
        citizenship: "gb".into(),
        relation: "acquainted".into(),
        details: "Owner of the farm".into(),
    }
    .validate()
    .expect("valid");
    assert_eq!(
        ok.roles,
        vec![
            PerpetratorRole::RecruiterOrIntermediary,
            PerpetratorRole::Exploiter
        ]
    );
}

#[test]
fn perpetrator_roles_are_the_htcds_picklist() {
    let htcds = "TravellingPartner;Transporter;RecruiterOrIntermediary;BrokerTravelAgent;TransferredIndividual;HarbouredIndividual;SoldIndividual;BoughtIndividual;ReceivedIndividual;ControlledIndividual;Smuggler;Abuser;Kidnapper;Exploiter;Other";
    let ours: Vec<String> = PerpetratorRole::ALL
        .iter()
        .map(|r| r.as_str().replace('_', ""))
        .collect();
    let theirs: Vec<String> = htcds.split(';').map(|v| v.to_lowercase()).collect();
    assert_eq!(ours, theirs);
}

#[test]
fn hearings_and_their_task() {
    let h = RawHearing {
        date: "2026-12-14".into(),
        time: "09:30".into(),
        kind: "trial".into(),
        place: "Crown Court, room 2".into(),
    }
    .validate()
    .expect("valid");
    assert_eq!(h.task_due().to_string(), "2026-12-07");
    let e = RawHearing {
        date: "soon".into(),
        time: "9.30".into(),
        kind: "party".into(),
        place: String::new(),
    }
    .validate()
    .expect_err("bad");
    assert_eq!(fields(&e), vec!["date", "time", "kind"]);
    assert!(matches!(
        RawHearingChange {
            cancelled: true,
            ..Default::default()
        }
        .validate(),
        Ok(HearingChange::Cancelled)
    ));
    let e = RawHearingChange::default().validate().expect_err("no date");
    assert_eq!(fields(&e), vec!["date"]);
}

#[test]
fn outcomes_measures_money_and_cooperation() {
    let e = RawOutcome::default().validate().expect_err("empty");
    assert_eq!(fields(&e), vec!["outcome"]);
    assert!(measure("video_link", "granted").is_ok());
    let e = measure("cake", "maybe").expect_err("bad");
    assert_eq!(fields(&e), vec!["kind", "status"]);
    let e = compensation(&Amount::Missing, "").expect_err("empty");
    assert_eq!(fields(&e), vec!["amount", "currency"]);
    let eur = crate::labour::money::Currency::parse("EUR").expect("eur");
    let e = RawPayment {
        amount: Amount::Minor(0),
        paid_on: "2026-01-01".into(),
    }
    .validate(eur)
    .expect_err("zero");
    assert_eq!(fields(&e), vec!["amount"]);
    let e = cooperation("maybe", "").expect_err("bad");
    assert_eq!(fields(&e), vec!["stance", "stated_on"]);
}

proptest! {
    #[test]
    fn stages_move_forward_only_and_closed_is_final(from in stage(), to in stage()) {
        let allowed = may_move(from, to);
        // Nothing leaves closed; nothing moves to itself or back.
        if from == ProceedingStage::Closed { prop_assert!(!allowed); }
        if to.rank() <= from.rank() { prop_assert!(!allowed); }
        // Every open stage may close, and every later stage may be reached.
        if from != ProceedingStage::Closed && to.rank() > from.rank() { prop_assert!(allowed); }
        // The checked change agrees with the rule and names the field when refused.
        match stage_change(from, to.as_str()) {
            Ok(s) => { prop_assert!(allowed); prop_assert_eq!(s, to); }
            Err(p) => {
                prop_assert!(!allowed);
                prop_assert_eq!(p.0[0].field.as_str(), "stage");
                prop_assert_eq!(p.0[0].code, crate::ErrorCode::TransitionNotAllowed);
            }
        }
    }

    #[test]
    fn any_walk_of_allowed_moves_ends_closed_within_seven_steps(
        picks in proptest::collection::vec(0usize..7, 0..20)
    ) {
        let mut at = ProceedingStage::Complaint;
        let mut steps = 0;
        for pick in picks {
            let next = ProceedingStage::ALL[pick];
            if may_move(at, next) {
                prop_assert!(next.rank() > at.rank());
                at = next;
                steps += 1;
            }
        }
        prop_assert!(steps < ProceedingStage::ALL.len());
    }
}
