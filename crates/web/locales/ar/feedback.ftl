# ما طلبته الأخصائية المرهقة (المسألة 13): نموذج واحد لتقييم الاحتياجات، وسبب لرفض الطلب،
# وتأكيد قبل إغلاق ملف طفل، وموعد استحقاق يمكن تغييره، ومرفقات تقول ما هي.

## تقييم الاحتياجات
staff-feedback-needs-one-form = املأ ما تشاء من المجالات أدناه واحفظ مرة واحدة. المجالات التي لا تلمسها تبقى كما هي.
staff-feedback-needs-save = حفظ التقييم
staff-feedback-need-changed = حفظ شخص آخر هذا الاحتياج بينما كنت تكتب. ما كتبته ما زال هنا، وما حفظه الآخر موجود في الجدول أعلاه. احفظ مرة أخرى لتستبدله بما كتبت.
staff-done-feedback-nothing-changed = لم يتغير شيء، لذلك لم يُحفظ شيء.

## الموافقات
staff-feedback-rejection-reason = سبب الرفض
staff-feedback-rejection-reason-hint = إلزامي؛ تقرؤه الأخصائية في الملف
staff-feedback-rejection-reason-needed = اذكر سببًا للرفض: من قدّم الطلب يقرؤه في الملف.
staff-feedback-child-closure-what = هذا ملف طفل. الموافقة تغلقه الآن بالنتيجة والسبب المذكورين أعلاه، وتُخطَّط زيارات المتابعة ابتداءً من تاريخ الإغلاق.
staff-feedback-child-closure-confirm = أؤكد أن ملف هذا الطفل يُغلق الآن
staff-feedback-confirm-child-closure-needed = الموافقة تغلق ملف طفل: ضع علامة في المربع للتأكيد، ثم وافق.
staff-feedback-close-rejected = رفض أحد المشرفين إغلاق هذا الملف:
staff-feedback-close-rejected-by = رفضه { $by }، { $at }.
staff-done-feedback-rejected = رُفض الطلب. ترى الأخصائية سببك في الملف.
staff-done-feedback-approved = تمت الموافقة على الطلب: أُغلق الملف.

## المهام
staff-done-feedback-task-added = أُضيفت المهمة.
staff-feedback-due-change = موعد استحقاق جديد
staff-feedback-due-change-submit = تغيير التاريخ
staff-feedback-due-past = موعد الاستحقاق هذا في الماضي. تحقق منه، أو أكّد أنك تقصده.
staff-feedback-due-past-confirm = نعم، موعد الاستحقاق في الماضي
staff-done-feedback-due-changed = تغيّر موعد الاستحقاق.

## المرفقات
staff-feedback-document-type = نوع المستند
staff-feedback-attachment-description-hint = اختياري؛ ما هو المستند، لمن يبحث عنه لاحقًا
staff-done-feedback-file-attached = أُرفق الملف.

## أنواع مستندات المرفق
v-attachment_kind-identity_document = وثيقة هوية
v-attachment_kind-travel_document = وثيقة سفر
v-attachment_kind-employment_contract = عقد عمل
v-attachment_kind-payslip = قسيمة راتب
v-attachment_kind-medical_record = سجل طبي
v-attachment_kind-legal_document = مستند قانوني
v-attachment_kind-police_report = محضر شرطة
v-attachment_kind-photo_evidence = صورة كدليل
v-attachment_kind-correspondence = رسالة أو مراسلة
v-attachment_kind-other = أخرى
