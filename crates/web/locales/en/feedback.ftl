# What the tired caseworker asked for (issue 13): one form for the needs assessment, a reason
# to reject a request, a confirmation before closing a child's case, a due date that can be
# changed, and attachments that say what they are.

## Needs assessment
staff-feedback-needs-one-form = Fill in any of the domains below and save once. Domains you leave untouched stay as they are.
staff-feedback-needs-save = Save the assessment
staff-feedback-need-changed = Someone else saved this need while you were typing. What you typed is still here; what they saved is in the table above. Save again to replace it with yours.
staff-done-feedback-nothing-changed = Nothing had changed, so nothing was saved.

## Approvals
staff-feedback-rejection-reason = Reason for rejecting
staff-feedback-rejection-reason-hint = required; the caseworker reads it on the case
staff-feedback-rejection-reason-needed = Give a reason for rejecting: the caseworker who asked reads it on the case.
staff-feedback-child-closure-what = This is a child's case. Approving closes it now with the outcome and reason above; follow-up visits are planned from the closing date.
staff-feedback-child-closure-confirm = I confirm that this child's case closes now
staff-feedback-confirm-child-closure-needed = Approving closes a child's case: tick the box to confirm, then approve.
staff-feedback-close-rejected = A supervisor rejected closing this case:
staff-feedback-close-rejected-by = Rejected by { $by }, { $at }.
staff-done-feedback-rejected = Request rejected. The caseworker sees your reason on the case.
staff-done-feedback-approved = Request approved: the case is closed.

## Tasks
staff-done-feedback-task-added = Task added.
staff-feedback-due-change = New due date
staff-feedback-due-change-submit = Change date
staff-feedback-due-past = This due date is in the past. Check it, or confirm that you mean it.
staff-feedback-due-past-confirm = Yes, the due date is in the past
staff-done-feedback-due-changed = Due date changed.

## Attachments
staff-feedback-document-type = Document type
staff-feedback-attachment-description-hint = optional; what the document is, for whoever looks for it later
staff-done-feedback-file-attached = File attached.

## Document types of an attachment
v-attachment_kind-identity_document = Identity document
v-attachment_kind-travel_document = Travel document
v-attachment_kind-employment_contract = Employment contract
v-attachment_kind-payslip = Payslip
v-attachment_kind-medical_record = Medical record
v-attachment_kind-legal_document = Legal document
v-attachment_kind-police_report = Police report
v-attachment_kind-photo_evidence = Photo as evidence
v-attachment_kind-correspondence = Letter or message
v-attachment_kind-other = Other
