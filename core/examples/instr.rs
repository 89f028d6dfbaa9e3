//! Instruction-count probe of the builder: `valgrind --tool=callgrind` on this
//! example counts the same work every run, whatever else the machine does.
use optave_core::action::Action;
use optave_core::ids::{IdGenerator, RandomSource};
use optave_core::outbound::{Builder, EnvelopeConfig};
struct R(u8);
impl RandomSource for R {
    fn fill(&mut self, b: &mut [u8]) {
        for x in b {
            self.0 = self.0.wrapping_add(7);
            *x = self.0;
        }
    }
}
fn main() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/seed002_interaction_params.json"
    );
    let raw = std::fs::read_to_string(path).unwrap_or_default();
    let text: String = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1000);
    let mut ids = IdGenerator::new(R(0));
    let cfg = EnvelopeConfig {
        organization_id: Some("org".into()),
        ..Default::default()
    };
    let mut b = Builder::default();
    let mut total = 0;
    for _ in 0..n {
        total += b
            .build(Action::Interaction, &text, &cfg, &mut ids, 1.7e12)
            .map(|o| o.text.len())
            .unwrap_or(0);
    }
    println!("{total}");
}
