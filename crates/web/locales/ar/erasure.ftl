# محو الشخص المعني بالملف والحفظ القانوني (المسألة 19).

erasure-tab = المحو
erasure-title = المحو والحفظ القانوني
erasure-hold-title = الحفظ القانوني
erasure-hold-on = هذا الملف خاضع لحفظ قانوني: لا يمكن لأحد محو الشخص ما دام قائماً.
erasure-hold-off = هذا الملف غير خاضع لحفظ قانوني.
erasure-hold-set = إخضاع الملف لحفظ قانوني
erasure-hold-lift = رفع الحفظ القانوني
erasure-erase-title = محو الشخص
erasure-erase-intro = يُتلف المحو مفتاح التشفير الخاص بالشخص: لا يعود بالإمكان قراءة هويته ووثائقه وملفاته والنص الحر لملفاته، لا هنا ولا في أي نسخة احتياطية. يبقى الملف، دون أي شيء يسمّي الشخص، لأغراض الإحصاءات. لا يمكن التراجع عن ذلك.
erasure-reason = سبب محو الشخص (لا يُحفظ في أي سجل)
erasure-confirm = أفهم أن بيانات الشخص تُمحى نهائياً.
erasure-submit = محو الشخص
erasure-refused-hold = لا يمكن محو الشخص ما دام الملف خاضعاً لحفظ قانوني. يجب على مشرف رفعه أولاً.
erasure-supervisors-only = لا يستطيع محو الشخص إلا مشرف من المنظمة صاحبة الملف.
erasure-erased-on = مُحيت بيانات هذا الشخص في { $when }.
erasure-erased-name = شخص ممحو
staff-problem-legal-hold = لا يمكن قبوله: الملف خاضع لحفظ قانوني يجب على مشرف رفعه أولاً.
staff-problem-supervisor-required = لا يمنحه إلا مشرف من المنظمة صاحبة الملف.
staff-field-confirm = التأكيد
staff-field-hold = الحفظ القانوني
