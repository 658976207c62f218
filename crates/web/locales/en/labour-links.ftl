# Naming entities from a held document and a screening, removing a link, a licence changed
# meanwhile, and the joint agencies and sanction of a visit.
links-holder-section = Who holds the document
links-involved-section = Who is involved: employer or recruiter
links-holder-link = Who holds it: find in the register
links-involved-link = Who is involved: name the employer or recruiter
links-back-person = Back to the person and documents
links-back-screening = Back to the screening
links-remove = Remove this link
staff-done-links-removed = The link is removed.
links-licence-newer = Someone recorded a newer licence in the meantime; nothing you typed was saved. Recorded now:
visit-joint = Other agencies present
visit-joint-hint = Tick each agency that took part. Immigration enforcement never joins a visit to an entity that workers' complaints name: it would turn a complaint into a raid.
visit-sanction = Sanction confirmed
visit-sanction-hint = Only a sanction the inspectorate or a court confirmed. It is shown on the public recruiter check.
visit-sanction-description = What was decided
visit-sanction-authority = Authority that decided
visit-sanction-decided-on = Date decided
