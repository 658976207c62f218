# تسمية جهة من وثيقة محتجزة أو من فحص، وإزالة رابط، وترخيص تغيّر في الأثناء، والجهات المشاركة
# في الزيارة والعقوبة.
links-holder-section = من يحتفظ بالوثيقة
links-involved-section = من المعني: صاحب العمل أو جهة التوظيف
links-holder-link = من يحتفظ بها: البحث في السجل
links-involved-link = من المعني: تسمية صاحب العمل أو جهة التوظيف
links-back-person = العودة إلى الشخص ووثائقه
links-back-screening = العودة إلى الفحص
links-remove = إزالة هذا الرابط
staff-done-links-removed = أُزيل الرابط.
links-licence-newer = سجّل شخص آخر ترخيصًا أحدث في الأثناء؛ لم يُحفظ شيء مما كتبته. المسجَّل الآن:
visit-joint = جهات أخرى حاضرة
visit-joint-hint = ضع علامة على كل جهة شاركت. لا تشارك سلطات إنفاذ قوانين الهجرة أبدًا في زيارة جهة تذكرها شكاوى العمال: فذلك يحوّل الشكوى إلى مداهمة.
visit-sanction = عقوبة مؤكَّدة
visit-sanction-hint = فقط عقوبة أكّدتها هيئة التفتيش أو محكمة. تُعرض في خدمة التحقق العامة من جهات التوظيف.
visit-sanction-description = ما تقرّر
visit-sanction-authority = الجهة التي قرّرت
visit-sanction-decided-on = تاريخ القرار
