# International protection needs (issue 14 item 5): a person who seeks asylum, is a refugee or
# fears return is never referred or shown to a consulate or other authority of the country
# they fled.

staff-protection-title = International protection
staff-protection-what = A person who seeks asylum, is a refugee or fears return is never shared, referred or transferred to a consulate, ministry, police or other authority of the countries listed here. Recording a need ends any such sharing at once.
staff-protection-mark = International protection needs: do not share with authorities of { $countries }
staff-protection-mark-why = Passage refuses any sharing, referral or transfer of this case to a consulate or other authority of these countries.
staff-protection-see = See the protection needs
staff-protection-none = No international protection need is recorded.
staff-protection-open = Record or see international protection needs
staff-protection-record = Record a protection need
staff-protection-kind = Kind of need
staff-protection-choose = Choose one
staff-protection-countries = Countries fled or feared
staff-protection-countries-hint = choose one or more
staff-protection-reason = Reason
staff-protection-reason-hint = required; only your organisation reads it
staff-protection-submit = Record the need
staff-protection-owner-records = Only the organisation that holds this case records protection needs.
staff-field-kind = Kind of need
staff-field-countries = Countries

v-protection_kind-asylum_seeker = Asylum seeker
v-protection_kind-refugee = Refugee
v-protection_kind-fear_of_return = Fears return
