//! Measures of agreement between two lists of marks: itdq's and a human grader's.
//!
//! Pure functions over slices. Each returns `None` where the measure is undefined (fewer than two
//! answers, or one side that never varies), so that a report can say "n/a" instead of printing a
//! number that means nothing.

/// Pearson's correlation coefficient.
pub fn pearson(x: &[f64], y: &[f64]) -> Option<f64> {
    if x.len() != y.len() || x.len() < 2 {
        return None;
    }
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        let (dx, dy) = (a - mx, b - my);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    if sxx <= 0.0 || syy <= 0.0 {
        return None;
    }
    Some((sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0))
}

/// Spearman's rank correlation: Pearson's over ranks, tied values sharing their average rank.
pub fn spearman(x: &[f64], y: &[f64]) -> Option<f64> {
    if x.len() != y.len() {
        return None;
    }
    pearson(&ranks(x), &ranks(y))
}

/// Ranks from 1, ties given the mean of the ranks they span (1, 2.5, 2.5, 4).
pub fn ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut out = vec![0.0; values.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && values[order[j + 1]] == values[order[i]] {
            j += 1;
        }
        // positions i..=j (from 0) hold equal values: ranks i+1..=j+1, whose mean is this
        let rank = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            out[k] = rank;
        }
        i = j + 1;
    }
    out
}

/// Quadratic weighted kappa of two integer ratings on the scale `min..=max`.
///
/// 1 is perfect agreement, 0 what chance gives, below 0 worse than chance. `None` when a rating
/// lies outside the scale, when there are no ratings, or when chance alone would agree perfectly
/// (both sides always give one and the same mark).
pub fn quadratic_weighted_kappa(a: &[i64], b: &[i64], min: i64, max: i64) -> Option<f64> {
    if a.len() != b.len() || a.is_empty() || max < min {
        return None;
    }
    let k = (max - min + 1) as usize;
    let index = |v: i64| (v >= min && v <= max).then(|| (v - min) as usize);
    let mut observed = vec![vec![0.0f64; k]; k];
    let mut hist_a = vec![0.0f64; k];
    let mut hist_b = vec![0.0f64; k];
    for (&x, &y) in a.iter().zip(b) {
        let (i, j) = (index(x)?, index(y)?);
        observed[i][j] += 1.0;
        hist_a[i] += 1.0;
        hist_b[j] += 1.0;
    }
    let n = a.len() as f64;
    let span = ((k - 1).max(1) as f64).powi(2);
    let (mut disagreement, mut chance) = (0.0, 0.0);
    for i in 0..k {
        for j in 0..k {
            let weight = (i as f64 - j as f64).powi(2) / span;
            disagreement += weight * observed[i][j];
            chance += weight * hist_a[i] * hist_b[j] / n;
        }
    }
    if chance <= 0.0 {
        return None;
    }
    Some(1.0 - disagreement / chance)
}

/// Mean absolute difference.
pub fn mean_absolute_error(x: &[f64], y: &[f64]) -> Option<f64> {
    if x.len() != y.len() || x.is_empty() {
        return None;
    }
    Some(x.iter().zip(y).map(|(a, b)| (a - b).abs()).sum::<f64>() / x.len() as f64)
}

/// The arithmetic mean, `None` for no values.
pub fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9)
    }

    #[test]
    fn pearson_of_known_series() {
        assert!(close(pearson(&[1.0, 2.0, 3.0], &[2.0, 4.0, 6.0]), 1.0));
        assert!(close(pearson(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]), -1.0));
        // worked by hand: means 2.5 and 3, sxy = 6, sxx = 5, syy = 10
        assert!(close(
            pearson(&[1.0, 2.0, 3.0, 4.0], &[2.0, 1.0, 4.0, 5.0]),
            6.0 / 50.0f64.sqrt()
        ));
        assert_eq!(
            pearson(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0]),
            None,
            "a constant side has no correlation"
        );
        assert_eq!(pearson(&[1.0], &[1.0]), None);
        assert_eq!(pearson(&[1.0, 2.0], &[1.0]), None);
    }

    #[test]
    fn ranks_share_ties() {
        assert_eq!(ranks(&[10.0, 20.0, 20.0, 30.0]), vec![1.0, 2.5, 2.5, 4.0]);
        assert_eq!(ranks(&[3.0, 1.0, 2.0]), vec![3.0, 1.0, 2.0]);
        assert_eq!(ranks(&[5.0, 5.0, 5.0]), vec![2.0, 2.0, 2.0]);
    }

    #[test]
    fn spearman_sees_order_not_distance() {
        assert!(close(
            spearman(&[1.0, 2.0, 3.0, 4.0], &[1.0, 10.0, 100.0, 1000.0]),
            1.0
        ));
        // one swapped pair out of four: 1 - 6 * 2 / (4 * 15) = 0.8
        assert!(close(
            spearman(&[1.0, 2.0, 3.0, 4.0], &[1.0, 3.0, 2.0, 4.0]),
            0.8
        ));
    }

    #[test]
    fn kappa_of_known_tables() {
        assert!(close(
            quadratic_weighted_kappa(&[0, 1, 2, 3], &[0, 1, 2, 3], 0, 3),
            1.0
        ));
        // complete reversal on a balanced two-point scale
        assert!(close(
            quadratic_weighted_kappa(&[0, 0, 1, 1], &[1, 1, 0, 0], 0, 1),
            -1.0
        ));
        // worked by hand: observed disagreement 1/9 weight on one pair of four,
        // chance from the marginals a = (1, 1, 1, 1), b = (1, 1, 2, 0)
        let k = quadratic_weighted_kappa(&[0, 1, 2, 3], &[0, 1, 2, 2], 0, 3).unwrap();
        let chance: f64 = [0usize, 1, 2, 3]
            .iter()
            .flat_map(|&i| {
                [(0usize, 1.0), (1, 1.0), (2, 2.0)]
                    .map(move |(j, nb)| ((i as f64 - j as f64).powi(2) / 9.0) * nb / 4.0)
            })
            .sum();
        assert!((k - (1.0 - (1.0 / 9.0) / chance)).abs() < 1e-9, "{k}");
        assert_eq!(
            quadratic_weighted_kappa(&[0, 4], &[0, 1], 0, 3),
            None,
            "4 is off the scale"
        );
        assert_eq!(
            quadratic_weighted_kappa(&[2, 2], &[2, 2], 0, 3),
            None,
            "chance agrees perfectly"
        );
    }

    #[test]
    fn mean_absolute_error_and_mean() {
        assert!(close(
            mean_absolute_error(&[1.0, 2.0, 3.0], &[2.0, 2.0, 1.0]),
            1.0
        ));
        assert_eq!(mean_absolute_error(&[], &[]), None);
        assert!(close(mean(&[1.0, 2.0, 6.0]), 3.0));
    }
}
