;; SIMD sum of absolute differences of two byte arrays (frameDiff.ts loads it): the exact integer
;; total of |a_i − b_i|, sixteen bytes per step. Regenerate frameDiffSimdWasm.ts after editing:
;; `npm run build:wasm` (a test checks they agree).
;;
;; |a − b| per byte is (a ⊖ b) | (b ⊖ a) with saturating subtraction (one of the two is 0); the
;; sixteen differences are widened pairwise twice into four u32 lanes. A lane gains ≤ 4·255 per
;; step, so totals stay exact below 2^32 / 1020 steps · 16 bytes ≈ 67 MB; the caller keeps n under 8 MB.
(module
  (memory (export "memory") 1)

  ;; Σ|a_i − b_i| over n bytes at a and b; n a multiple of 64 (the caller sums any tail).
  (func (export "sad") (param $a i32) (param $b i32) (param $n i32) (result i32)
    (local $end i32) (local $acc0 v128) (local $acc1 v128)
    (local.set $end (i32.add (local.get $a) (local.get $n)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
        ;; Four steps per turn on two accumulators: fewer branches, independent adds.
        (local.set $acc0 (i32x4.add (local.get $acc0)
          (i32x4.extadd_pairwise_i16x8_u (i16x8.extadd_pairwise_i8x16_u (v128.or
            (i8x16.sub_sat_u (v128.load offset=0 (local.get $a)) (v128.load offset=0 (local.get $b)))
            (i8x16.sub_sat_u (v128.load offset=0 (local.get $b)) (v128.load offset=0 (local.get $a))))))))
        (local.set $acc1 (i32x4.add (local.get $acc1)
          (i32x4.extadd_pairwise_i16x8_u (i16x8.extadd_pairwise_i8x16_u (v128.or
            (i8x16.sub_sat_u (v128.load offset=16 (local.get $a)) (v128.load offset=16 (local.get $b)))
            (i8x16.sub_sat_u (v128.load offset=16 (local.get $b)) (v128.load offset=16 (local.get $a))))))))
        (local.set $acc0 (i32x4.add (local.get $acc0)
          (i32x4.extadd_pairwise_i16x8_u (i16x8.extadd_pairwise_i8x16_u (v128.or
            (i8x16.sub_sat_u (v128.load offset=32 (local.get $a)) (v128.load offset=32 (local.get $b)))
            (i8x16.sub_sat_u (v128.load offset=32 (local.get $b)) (v128.load offset=32 (local.get $a))))))))
        (local.set $acc1 (i32x4.add (local.get $acc1)
          (i32x4.extadd_pairwise_i16x8_u (i16x8.extadd_pairwise_i8x16_u (v128.or
            (i8x16.sub_sat_u (v128.load offset=48 (local.get $a)) (v128.load offset=48 (local.get $b)))
            (i8x16.sub_sat_u (v128.load offset=48 (local.get $b)) (v128.load offset=48 (local.get $a))))))))
        (local.set $a (i32.add (local.get $a) (i32.const 64)))
        (local.set $b (i32.add (local.get $b) (i32.const 64)))
        (br $next)))
    (local.set $acc0 (i32x4.add (local.get $acc0) (local.get $acc1)))
    (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $acc0)) (i32x4.extract_lane 1 (local.get $acc0)))
      (i32.add (i32x4.extract_lane 2 (local.get $acc0)) (i32x4.extract_lane 3 (local.get $acc0)))))
)
