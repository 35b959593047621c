//! Generates a demo city and prints its size, a few sample units and the time it took:
//! `cargo run -p demo --release --example stats -- [tiny|small|medium|full] [seed]`.

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let size: demo::Size = args.next().as_deref().unwrap_or("medium").parse()?;
    let seed: u64 = args.next().as_deref().unwrap_or("1").parse()?;
    let started = Instant::now();
    let city = demo::generate(seed, size);
    let elapsed = started.elapsed();
    let departed: usize = city.certificates.iter().map(|c| c.departed.len()).sum();
    println!(
        "{size} seed {seed}: {} units, {} people in post, {departed} departed, in {elapsed:?}",
        city.certificates.len(),
        city.people()
    );
    let over = city
        .certificates
        .iter()
        .filter(|c| c.ledger.all_figures().iter().any(|(_, f)| f.is_over()))
        .count();
    println!("over establishment: {over} units");
    let mut regions: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
    for c in &city.certificates {
        let e = regions.entry(c.unit.region.label_zh()).or_default();
        e.0 += 1;
        e.1 += c.staff.len();
    }
    for (r, (u, p)) in &regions {
        println!("  {r}: {u} units, {p} people");
    }
    let mut largest: Vec<_> = city.certificates.iter().collect();
    largest.sort_by_key(|c| std::cmp::Reverse(c.staff.len()));
    for c in largest.iter().take(8) {
        println!("  largest: {} {}", c.unit.name, c.staff.len());
    }
    for c in city
        .certificates
        .iter()
        .step_by((city.certificates.len() / 12).max(1))
    {
        let u = &c.unit;
        println!(
            "{} {} [{} {} {}] staff {} divisions {} affiliates {} rows {}",
            u.id,
            u.name,
            u.kind.label_zh(),
            u.level.label_zh(),
            u.credit_code.as_ref().map_or("", |c| c.as_str()),
            c.staff.len(),
            c.divisions.len(),
            c.affiliates.len(),
            c.ledger.rows().len()
        );
        if let Some(p) = c.staff.get(c.staff.len() / 2) {
            println!(
                "    {} {} {} {} {} {} {} {} {:?} {:?} {} {} {:?}",
                p.name,
                p.sex.label_zh(),
                p.id_number,
                p.ethnicity,
                p.native_place,
                p.political_status.label_zh(),
                p.education.label_zh(),
                p.category.label_zh(),
                p.position,
                p.rank,
                p.entry_form.label_zh(),
                p.enrolled_on,
                p.enrolment_document.as_ref().map(|d| d.as_str())
            );
        }
    }
    Ok(())
}
