//! Closed vocabularies of the domain, each with one stable snake_case spelling used in the API,
//! the database and exports. A macro keeps the spelling, the parser and the list in one place.

macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable spelling.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Parses the stable spelling; anything else is `None`.
            pub fn parse(input: &str) -> Option<$name> {
                match input { $($text => Some($name::$variant),)+ _ => None }
            }

            /// The allowed spellings, for error messages.
            pub fn allowed() -> String {
                [$($text),+].join(", ")
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

vocabulary! {
    /// What an organisation is. The kind, not any role, decides the immigration firewall.
    OrgKind {
        Ngo => "ngo",
        Hotline => "hotline",
        ServiceProvider => "service_provider",
        Consulate => "consulate",
        LabourInspectorate => "labour_inspectorate",
        LawEnforcement => "law_enforcement",
        ImmigrationEnforcement => "immigration_enforcement",
        Ombudsperson => "ombudsperson",
        Ministry => "ministry",
        InternationalOrganisation => "international_organisation",
    }
}

vocabulary! {
    /// What a user does in their organisation. A user may hold several.
    Role {
        Intake => "intake",
        Caseworker => "caseworker",
        Supervisor => "supervisor",
        ServiceProvider => "service_provider",
        Consular => "consular",
        Inspector => "inspector",
        Ombudsperson => "ombudsperson",
        Analyst => "analyst",
        OrgAdmin => "org_admin",
        SystemAdmin => "system_admin",
    }
}

vocabulary! {
    /// The violation a case responds to.
    CaseType {
        Trafficking => "trafficking",
        LabourExploitation => "labour_exploitation",
        DiscriminationXenophobicViolence => "discrimination_xenophobic_violence",
        Detention => "detention",
        DeniedAccessHealthEducation => "denied_access_health_education",
        SmugglingAbuse => "smuggling_abuse",
        GenderBasedViolence => "gender_based_violence",
        ChildProtection => "child_protection",
        OtherViolation => "other_violation",
    }
}

vocabulary! {
    /// Where in the migration cycle the violation happened.
    Stage {
        PreDeparture => "pre_departure",
        Transit => "transit",
        Destination => "destination",
        Return => "return",
        Reintegration => "reintegration",
    }
}

vocabulary! {
    /// Sex/gender as in HTCDS 2.0 `prs_Gender`, in snake_case.
    Sex {
        Feminine => "feminine",
        Masculine => "masculine",
        TransgenderFeminine => "transgender_feminine",
        TransgenderMasculine => "transgender_masculine",
        NonConforming => "non_conforming",
        NonSpecifiedUnknown => "non_specified_unknown",
    }
}

vocabulary! {
    /// Where a case is in its lifecycle (the full state machine comes with case management).
    CaseStatus {
        Open => "open",
        Assessment => "assessment",
        CasePlan => "case_plan",
        Services => "services",
        FollowUp => "follow_up",
        Closed => "closed",
    }
}

vocabulary! {
    /// What a migrant complains about, in words a migrant understands (the public form's list).
    Category {
        UnpaidWages => "unpaid_wages",
        DocumentsTaken => "documents_taken",
        Debt => "debt",
        ThreatsViolence => "threats_violence",
        NotFreeToLeave => "not_free_to_leave",
        RecruitmentFraud => "recruitment_fraud",
        Discrimination => "discrimination",
        DetentionBorderAbuse => "detention_border_abuse",
        DeniedHealthEducation => "denied_health_education",
        ChildInDanger => "child_in_danger",
        SexualExploitation => "sexual_exploitation",
        SmugglingDangerousJourney => "smuggling_dangerous_journey",
        Housing => "housing",
        AbuseByOfficials => "abuse_by_officials",
        SomethingElse => "something_else",
    }
}

vocabulary! {
    /// How a report reached Passage.
    Channel {
        WebForm => "web_form",
        Hotline => "hotline",
        Sms => "sms",
        Chat => "chat",
        WalkIn => "walk_in",
        Outreach => "outreach",
        PartnerApi => "partner_api",
        Email => "email",
    }
}

vocabulary! {
    /// Who is reporting.
    ReporterType {
        Victim => "victim",
        Relative => "relative",
        Witness => "witness",
        Professional => "professional",
        Anonymous => "anonymous",
    }
}

vocabulary! {
    /// How fast a report must be handled. Declaration order is priority order.
    Urgency {
        Emergency => "emergency",
        High => "high",
        Normal => "normal",
        Low => "low",
    }
}

vocabulary! {
    /// Where a report is in triage.
    ReportStatus {
        New => "new",
        Acknowledged => "acknowledged",
        CaseOpened => "case_opened",
        Linked => "linked",
        Closed => "closed",
    }
}

impl Sex {
    /// Accepts the HTCDS spelling and the everyday words `female`, `male` and `unknown`.
    pub fn parse_lenient(input: &str) -> Option<Sex> {
        match input.trim().to_ascii_lowercase().as_str() {
            "female" | "f" => Some(Sex::Feminine),
            "male" | "m" => Some(Sex::Masculine),
            "unknown" => Some(Sex::NonSpecifiedUnknown),
            other => Sex::parse(other),
        }
    }
}

pub(crate) use vocabulary;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_round_trips() {
        for k in OrgKind::ALL {
            assert_eq!(OrgKind::parse(k.as_str()), Some(*k));
        }
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(*r));
        }
        for t in CaseType::ALL {
            assert_eq!(CaseType::parse(t.as_str()), Some(*t));
        }
        for s in Stage::ALL {
            assert_eq!(Stage::parse(s.as_str()), Some(*s));
        }
        for s in Sex::ALL {
            assert_eq!(Sex::parse_lenient(s.as_str()), Some(*s));
        }
    }

    #[test]
    fn parsing_is_exact() {
        assert_eq!(OrgKind::parse("Immigration_Enforcement"), None);
        assert_eq!(Role::parse(" analyst"), None);
        assert!(CaseType::allowed().contains("child_protection"));
    }
}
