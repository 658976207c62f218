# احتياجات الحماية الدولية (المسألة 14، البند 5): الشخص الذي يطلب اللجوء أو اللاجئ أو من يخشى
# العودة لا يُحال أبدًا ولا يُعرض على قنصلية أو أي سلطة أخرى للبلد الذي فرّ منه.

staff-protection-title = الحماية الدولية
staff-protection-what = لا تُشارَك بيانات الشخص الذي يطلب اللجوء أو اللاجئ أو من يخشى العودة، ولا يُحال ولا يُنقل ملفه أبدًا إلى قنصلية أو وزارة أو شرطة أو أي سلطة أخرى للبلدان المذكورة هنا. ويُنهي تسجيلُ الحاجة أيَّ مشاركة من هذا النوع فورًا.
staff-protection-mark = احتياجات الحماية الدولية: لا تشارك مع سلطات { $countries }
staff-protection-mark-why = يرفض Passage أي مشاركة أو إحالة أو نقل لهذه الحالة إلى قنصلية أو أي سلطة أخرى لهذه البلدان.
staff-protection-see = عرض احتياجات الحماية
staff-protection-none = لم تُسجَّل أي حاجة إلى الحماية الدولية.
staff-protection-open = تسجيل احتياجات الحماية الدولية أو عرضها
staff-protection-record = تسجيل حاجة إلى الحماية
staff-protection-kind = نوع الحاجة
staff-protection-choose = اختر نوعًا
staff-protection-countries = البلدان التي فرّ منها أو يخشى العودة إليها
staff-protection-countries-hint = اختر بلدًا واحدًا أو أكثر
staff-protection-reason = السبب
staff-protection-reason-hint = مطلوب؛ لا تقرؤه إلا منظمتك
staff-protection-submit = تسجيل الحاجة
staff-protection-owner-records = لا تسجّل احتياجات الحماية إلا المنظمة التي تتولى هذه الحالة.
staff-field-kind = نوع الحاجة
staff-field-countries = البلدان

v-protection_kind-asylum_seeker = طالب لجوء
v-protection_kind-refugee = لاجئ
v-protection_kind-fear_of_return = يخشى العودة
