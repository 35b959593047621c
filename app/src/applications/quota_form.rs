//! The 用编申请 form: its values parsed into a `domain::payload::QuotaUseRequest` with an
//! error per field that names it, and back again, from a signed request, to revise it.

use domain::payload::QuotaUseRequest;
use domain::person::EntryForm;
use domain::{EstablishmentCategory, FundingForm, Headcount};

use crate::applications::form::{FieldError, FormField, Parser, Problem, Values};
use crate::i18n::Msg;

/// The chosen category, if any.
pub fn category(values: &Values) -> Option<EstablishmentCategory> {
    EstablishmentCategory::from_code(values.get(FormField::Category))
}

/// Whether the 经费形式 field applies (事业编制 only).
pub fn needs_funding(values: &Values) -> bool {
    category(values).is_some_and(EstablishmentCategory::has_funding_form)
}

/// The form filled from a signed request (to revise one that did not go through).
pub fn values(request: &QuotaUseRequest) -> Values {
    let mut values = Values::of(&[
        (FormField::Category, request.category.code()),
        (FormField::Recruitment, request.recruitment.code()),
        (FormField::Reason, &request.reason),
    ]);
    values.set(FormField::Count, request.count.get().to_string());
    if let Some(f) = request.funding_form {
        values.set(FormField::Funding, f.code().to_owned());
    }
    if let Some(d) = &request.request_document {
        values.set(FormField::Document, d.as_str().to_owned());
    }
    values
}

/// The request, or every error at once (in the order of the form).
pub fn parse(values: &Values) -> Result<QuotaUseRequest, Vec<FieldError>> {
    let mut p = Parser::new(values);
    let category = p.choice(FormField::Category, EstablishmentCategory::from_code);
    // The rules of the request are the domain's (the server checks them again).
    let funding_form = if needs_funding(values) {
        FundingForm::from_code(p.text(FormField::Funding))
    } else {
        None
    };
    if let Some(category) = category
        && let Err(e) = QuotaUseRequest::check_funding(category, funding_form)
    {
        p.fail(FormField::Funding, Problem::Domain(e));
    }
    let count = match p.text(FormField::Count).parse::<u32>() {
        Ok(n) => match QuotaUseRequest::check_count(Headcount::new(n)) {
            Ok(()) => Some(Headcount::new(n)),
            Err(e) => {
                p.fail(FormField::Count, Problem::Domain(e));
                None
            }
        },
        Err(_) => {
            p.fail(FormField::Count, Problem::Msg(Msg::ErrCount));
            None
        }
    };
    let recruitment = p.choice(FormField::Recruitment, EntryForm::from_code);
    let reason = p.text(FormField::Reason).to_owned();
    if let Err(e) = QuotaUseRequest::check_reason(&reason) {
        p.fail(FormField::Reason, Problem::Domain(e));
    }
    let request_document = p.optional_document(FormField::Document);
    let request = match (category, count, recruitment) {
        (Some(category), Some(count), Some(recruitment)) => Some(QuotaUseRequest {
            category,
            funding_form,
            count,
            recruitment,
            reason,
            request_document,
        }),
        _ => None,
    };
    p.finish(request)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use FormField as F;
    use wasm_bindgen_test::wasm_bindgen_test;

    pub(crate) fn good() -> Values {
        Values::of(&[
            (F::Category, "public_institution"),
            (F::Funding, "full"),
            (F::Count, " 2 "),
            (F::Recruitment, "open_recruitment"),
            (F::Reason, " 教师退休出现空缺 "),
            (F::Document, "天教发〔2026〕12号"),
        ])
    }

    fn with(mut values: Values, pairs: &[(FormField, &str)]) -> Values {
        for (f, v) in pairs {
            values.set(*f, (*v).to_owned());
        }
        values
    }

    #[wasm_bindgen_test]
    fn a_good_form_parses_trims_and_fills_the_form_again() {
        let r = parse(&good()).unwrap();
        assert_eq!(r.count.get(), 2);
        assert_eq!(r.funding_form, Some(FundingForm::Full));
        assert_eq!(r.reason, "教师退休出现空缺");
        assert!(r.request_document.is_some());
        assert_eq!(
            values(&r),
            with(good(), &[(F::Count, "2"), (F::Reason, "教师退休出现空缺")])
        );
        let admin = with(
            good(),
            &[(F::Category, "administrative"), (F::Document, "")],
        );
        let r = parse(&admin).unwrap();
        assert_eq!(r.funding_form, None, "only 事业编制 carries a funding form");
        assert_eq!(r.request_document, None);
        let again = values(&r);
        assert_eq!((again.get(F::Funding), again.get(F::Document)), ("", ""));
    }

    #[wasm_bindgen_test]
    fn every_bad_field_is_named() {
        let bad = Values::of(&[
            (F::Category, "public_institution"),
            (F::Count, "0"),
            (F::Reason, "  "),
            (F::Document, "天教发2026"),
        ]);
        let errors = parse(&bad).unwrap_err();
        let fields: Vec<FormField> = errors.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [F::Funding, F::Count, F::Recruitment, F::Reason, F::Document]
        );
        for e in &errors {
            let label = e.field.label().text(Lang::Zh);
            let text = e.text(Lang::Zh);
            let named = text.contains(label) || (e.field == F::Document && text.contains("文号"));
            assert!(named, "{text} does not name {label}");
        }
        for count in ["-1", "1.5", "abc", "10000"] {
            let f = with(good(), &[(F::Count, count)]);
            assert_eq!(parse(&f).unwrap_err()[0].field, F::Count, "{count}");
        }
    }
}
