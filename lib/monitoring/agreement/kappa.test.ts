// Kappa and its interval against references computed independently of this code.
import { describe, expect, it } from "vitest";
import { cohenKappa, confusionMatrix, Z_95 } from "./kappa";

/** Expands a square table of counts (rows: rater A, columns: rater B) into item pairs. */
function fromTable(labels: string[], table: number[][]): [string, string][] {
  const out: [string, string][] = [];
  table.forEach((row, i) =>
    row.forEach((c, j) => {
      for (let k = 0; k < c; k++) out.push([labels[i]!, labels[j]!]);
    }),
  );
  return out;
}

describe("cohenKappa", () => {
  // Reference 1: the worked example of Wikipedia's "Cohen's kappa" article (50 proposals, two
  // readers: yes/yes 20, yes/no 5, no/yes 10, no/no 15), which gives p_o = 0.7, p_e = 0.5,
  // kappa = 0.4. The standard error was computed by hand from Fleiss, Cohen & Everitt (1969):
  //   p11=.4 p12=.1 p21=.2 p22=.3; rows .5 .5; cols .6 .4; 1-k = .6
  //   A = .4(1-(.5+.6)(.6))^2 + .3(1-(.5+.4)(.6))^2 = .4(.1156) + .3(.2116) = .10972
  //   B = .36[.1(.6+.5)^2 + .2(.4+.5)^2] = .36(.121+.162) = .10188
  //   C = (.4 - .5(.6))^2 = .01
  //   var = (A + B - C) / (50 (1-.5)^2) = .2016 / 12.5 = .016128, se = .1269961
  //   CI = .4 -+ 1.959964(.1269961) = [.151089, .648911]
  const yesNo = fromTable(
    ["yes", "no"],
    [
      [20, 5],
      [10, 15],
    ],
  );

  const cases: {
    name: string;
    pairs: [string, string][];
    want: { n: number; agreement: number | null; kappa: number | null; se: number | null; ci: [number, number] | null; degenerate?: string };
  }[] = [
    { name: "Wikipedia's worked example", pairs: yesNo, want: { n: 50, agreement: 0.7, kappa: 0.4, se: 0.1269961, ci: [0.151089, 0.648911] } },
    // Reference 2, by hand: 3 classes, 10 items, A = [a a a b b b c c c c], B = [a a b b b c c c c a].
    //   p_o = 7/10; rows a .3 b .3 c .4; cols a .3 b .3 c .4; p_e = .09+.09+.16 = .34
    //   kappa = (.7-.34)/.66 = .545454..., 1-k = .454545...
    //   A = 2(.2)(1-.6(.4545))^2 + .3(1-.8(.4545))^2 = .105785 + .105785 + .121488 = .333058
    //   B = .4545^2 [.1(.3+.3)^2 + .1(.3+.4)^2 + .1(.4+.3)^2] = .206612(.134) = .027686
    //   C = (.545454 - .34(.454545))^2 = .390909^2 = .152810
    //   var = (A + B - C) / (10 (.66)^2) = .207934 / 4.356 = .0477351, se = .218484
    //   CI = .545454 -+ 1.959964(.218484) = [.117235, .973674]
    {
      name: "three classes (by hand)",
      pairs: ["aa", "aa", "ab", "bb", "bb", "bc", "cc", "cc", "cc", "ca"].map((s) => [s[0]!, s[1]!] as [string, string]),
      want: { n: 10, agreement: 0.7, kappa: 0.36 / 0.66, se: 0.218484, ci: [0.117235, 0.973674] },
    },
    // Perfect agreement over two classes: kappa 1, variance 0 (A = 1, B = 0, C = 1).
    {
      name: "perfect agreement",
      pairs: fromTable(
        ["no", "yes"],
        [
          [3, 0],
          [0, 7],
        ],
      ),
      want: { n: 10, agreement: 1, kappa: 1, se: 0, ci: [1, 1] },
    },
    // Degenerate: both raters used one class only, p_e = 1, kappa = 0/0.
    { name: "one class only", pairs: fromTable(["yes"], [[12]]), want: { n: 12, agreement: 1, kappa: null, se: null, ci: null, degenerate: "one_class" } },
    // Degenerate: nothing both rated.
    { name: "no overlap", pairs: [], want: { n: 0, agreement: null, kappa: null, se: null, ci: null, degenerate: "no_overlap" } },
    // Degenerate: one rater constant, the other not: p_e = p_B(yes) = .5, p_o = .5, kappa = 0 by
    // construction (the FCE variance is 0 too), so no interval is claimed.
    {
      name: "one rater constant",
      pairs: fromTable(
        ["no", "yes"],
        [
          [0, 0],
          [4, 4],
        ],
      ),
      want: { n: 8, agreement: 0.5, kappa: 0, se: null, ci: null, degenerate: "one_rater_constant" },
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const r = cohenKappa(c.pairs);
      expect(r.n).toBe(c.want.n);
      if (c.want.agreement === null) expect(r.agreement).toBeNull();
      else expect(r.agreement).toBeCloseTo(c.want.agreement, 10);
      if (c.want.kappa === null) expect(r.kappa).toBeNull();
      else expect(r.kappa).toBeCloseTo(c.want.kappa, 10);
      if (c.want.se !== null) expect(r.se).toBeCloseTo(c.want.se, 6);
      if (c.want.ci !== null) {
        expect(r.ci95![0]).toBeCloseTo(c.want.ci[0], 5);
        expect(r.ci95![1]).toBeCloseTo(c.want.ci[1], 5);
      }
      if (c.want.ci === null) expect(r.ci95).toBeNull();
      expect(r.degenerate).toBe(c.want.degenerate);
    });
  }

  it("the interval is kappa -+ 1.96 se, clamped to [-1, 1]", () => {
    const r = cohenKappa(
      fromTable(
        ["no", "yes"],
        [
          [1, 2],
          [2, 1],
        ],
      ),
    );
    expect(r.kappa).toBeCloseTo(-1 / 3, 10);
    expect(r.ci95![0]).toBe(Math.max(-1, r.kappa! - Z_95 * r.se!));
    expect(r.ci95![1]).toBeCloseTo(r.kappa! + Z_95 * r.se!, 12);
  });

  it("builds the confusion matrix over the sorted union of both raters' classes", () => {
    expect(
      confusionMatrix([
        ["yes", "no"],
        ["yes", "yes"],
        ["unknown", "yes"],
      ]),
    ).toEqual({
      labels: ["no", "unknown", "yes"],
      counts: [
        [0, 0, 0],
        [0, 0, 1],
        [1, 0, 1],
      ],
    });
  });
});
