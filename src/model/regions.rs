//! AWS region names: the ones `:region` completes, and the shape any region name has
//! (a region launched after this list still passes the shape).

/// The commercial regions AWS lists publicly, in its own order of launch families.
pub const REGIONS: &[&str] = &[
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-south-1",
    "ap-south-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-south-1",
    "eu-south-2",
    "eu-north-1",
    "il-central-1",
    "me-south-1",
    "me-central-1",
    "mx-central-1",
    "sa-east-1",
];

/// Whether `name` has a region's shape: lower-case words joined by dashes, the first of
/// two letters, ending in a number (`eu-west-1`, `us-gov-west-1`, `cn-north-1`).
pub fn is_region_name(name: &str) -> bool {
    let parts: Vec<&str> = name.split('-').collect();
    let [first, middle @ .., last] = parts.as_slice() else {
        return false;
    };
    first.len() == 2
        && first.chars().all(|c| c.is_ascii_lowercase())
        && !middle.is_empty()
        && middle
            .iter()
            .all(|word| !word.is_empty() && word.chars().all(|c| c.is_ascii_lowercase()))
        && !last.is_empty()
        && last.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_region_has_the_shape() {
        assert!(REGIONS.iter().all(|region| is_region_name(region)));
    }

    #[test]
    fn the_shape_refuses_typos() {
        for name in ["us-gov-west-1", "cn-north-1", "eu-west-12"] {
            assert!(is_region_name(name), "{name}");
        }
        for name in [
            "eu-west",
            "euwest1",
            "EU-WEST-1",
            "eu--1",
            "e-west-1",
            "eu-west-1a",
            "",
        ] {
            assert!(!is_region_name(name), "{name}");
        }
    }
}
