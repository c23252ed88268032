;; SIMD path of the area resize (areaSimd.ts loads it): the same integer sums as areaBytes.ts.
;; Regenerate areaSimdWasm.ts after editing: `npm run build:wasm` (a test checks they agree).
;;
;; Vertical pass, per output row: sixteen source bytes per load, widened to u16 lanes and weighed by
;; the row's ≤ 5 taps. Lane sums are ≤ 255·cell < 2^16 (cell ≤ 16), so i16x8 arithmetic is exact.
;; Horizontal pass, per output pixel: the ≤ 5 tap pixels' three channel sums are loaded as i32x4
;; (load16x4_u takes c0 c1 c2 and one spare lane), weighed and added; sums ≤ 255·cell² < 2^16 are
;; rounded by the caller's lookup table. Missing taps carry weight 0 on an existing row or pixel.
;; The output is HWC or channel-first (CHW), as the steps say: the .pt wants CHW, the metrics HWC.
(module
  (memory (export "memory") 1)

  (func $row_taps (param $w i32) (result v128)
    (i16x8.splat (local.get $w)))

  (func (export "resize")
    (param $frame i32)    ;; first byte of the frame
    (param $rowBytes i32) ;; bytes per frame row (width · 3)
    (param $crop i32)     ;; byte offset of the crop's first column (x0 · 3)
    (param $y0 i32)       ;; first row of the crop
    (param $side i32)     ;; crop side (= table.src); side · 3 is a multiple of 16
    (param $dst i32)      ;; output side
    (param $first i32)    ;; i32[dst]: first source index per output
    (param $count i32)    ;; i32[dst]: taps per output (1..5)
    (param $weights i32)  ;; i32[dst · 5]: tap weights
    (param $vsum i32)     ;; u16[side · 3 + 16]: one row of vertical sums (zero padding after)
    (param $round i32)    ;; u8[65536]: rounded mean of every lane sum
    (param $out i32)      ;; u8[dst · dst · 3]
    (param $pixelStep i32)   ;; bytes between an output pixel and the next: 3 (HWC) or 1 (CHW)
    (param $channelStep i32) ;; bytes between a pixel's channels: 1 (HWC) or dst² (CHW)
    (local $oy i32) (local $ox i32) (local $b i32) (local $n i32) (local $wb i32) (local $q i32)
    (local $rowLen i32) (local $p i32)
    (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32) (local $r4 i32)
    (local $w0 v128) (local $w1 v128) (local $w2 v128) (local $w3 v128) (local $w4 v128)
    (local $v v128) (local $lo v128) (local $hi v128) (local $acc v128)

    (local.set $rowLen (i32.mul (local.get $side) (i32.const 3)))
    (local.set $q (local.get $out))
    (local.set $oy (i32.const 0))
    (loop $rows
      ;; This output row's taps: weights and source row addresses (missing taps reread row r0).
      (local.set $n (i32.load (i32.add (local.get $count) (i32.shl (local.get $oy) (i32.const 2)))))
      (local.set $wb (i32.add (local.get $weights) (i32.mul (local.get $oy) (i32.const 20))))
      (local.set $w0 (call $row_taps (i32.load offset=0 (local.get $wb))))
      (local.set $w1 (call $row_taps (i32.load offset=4 (local.get $wb))))
      (local.set $w2 (call $row_taps (i32.load offset=8 (local.get $wb))))
      (local.set $w3 (call $row_taps (i32.load offset=12 (local.get $wb))))
      (local.set $w4 (call $row_taps (i32.load offset=16 (local.get $wb))))
      (local.set $r0
        (i32.add
          (i32.add (local.get $frame) (local.get $crop))
          (i32.mul
            (i32.add (local.get $y0)
              (i32.load (i32.add (local.get $first) (i32.shl (local.get $oy) (i32.const 2)))))
            (local.get $rowBytes))))
      (local.set $r1 (select (i32.add (local.get $r0) (local.get $rowBytes)) (local.get $r0)
        (i32.gt_s (local.get $n) (i32.const 1))))
      (local.set $r2 (select (i32.add (local.get $r1) (local.get $rowBytes)) (local.get $r0)
        (i32.gt_s (local.get $n) (i32.const 2))))
      (local.set $r3 (select (i32.add (local.get $r2) (local.get $rowBytes)) (local.get $r0)
        (i32.gt_s (local.get $n) (i32.const 3))))
      (local.set $r4 (select (i32.add (local.get $r3) (local.get $rowBytes)) (local.get $r0)
        (i32.gt_s (local.get $n) (i32.const 4))))

      (local.set $b (i32.const 0))
      (loop $columns
        (local.set $v (v128.load (i32.add (local.get $r0) (local.get $b))))
        (local.set $lo (i16x8.mul (i16x8.extend_low_i8x16_u (local.get $v)) (local.get $w0)))
        (local.set $hi (i16x8.mul (i16x8.extend_high_i8x16_u (local.get $v)) (local.get $w0)))
        (local.set $v (v128.load (i32.add (local.get $r1) (local.get $b))))
        (local.set $lo (i16x8.add (local.get $lo)
          (i16x8.mul (i16x8.extend_low_i8x16_u (local.get $v)) (local.get $w1))))
        (local.set $hi (i16x8.add (local.get $hi)
          (i16x8.mul (i16x8.extend_high_i8x16_u (local.get $v)) (local.get $w1))))
        (local.set $v (v128.load (i32.add (local.get $r2) (local.get $b))))
        (local.set $lo (i16x8.add (local.get $lo)
          (i16x8.mul (i16x8.extend_low_i8x16_u (local.get $v)) (local.get $w2))))
        (local.set $hi (i16x8.add (local.get $hi)
          (i16x8.mul (i16x8.extend_high_i8x16_u (local.get $v)) (local.get $w2))))
        (local.set $v (v128.load (i32.add (local.get $r3) (local.get $b))))
        (local.set $lo (i16x8.add (local.get $lo)
          (i16x8.mul (i16x8.extend_low_i8x16_u (local.get $v)) (local.get $w3))))
        (local.set $hi (i16x8.add (local.get $hi)
          (i16x8.mul (i16x8.extend_high_i8x16_u (local.get $v)) (local.get $w3))))
        (local.set $v (v128.load (i32.add (local.get $r4) (local.get $b))))
        (local.set $lo (i16x8.add (local.get $lo)
          (i16x8.mul (i16x8.extend_low_i8x16_u (local.get $v)) (local.get $w4))))
        (local.set $hi (i16x8.add (local.get $hi)
          (i16x8.mul (i16x8.extend_high_i8x16_u (local.get $v)) (local.get $w4))))
        (local.set $p (i32.add (local.get $vsum) (i32.shl (local.get $b) (i32.const 1))))
        (v128.store offset=0 (local.get $p) (local.get $lo))
        (v128.store offset=16 (local.get $p) (local.get $hi))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (br_if $columns (i32.lt_u (local.get $b) (local.get $rowLen))))

      (local.set $ox (i32.const 0))
      (loop $pixels
        ;; Tap pixel k's three channel sums sit 6 bytes apart from the previous one's.
        (local.set $p
          (i32.add (local.get $vsum)
            (i32.mul (i32.load (i32.add (local.get $first) (i32.shl (local.get $ox) (i32.const 2))))
              (i32.const 6))))
        (local.set $wb (i32.add (local.get $weights) (i32.mul (local.get $ox) (i32.const 20))))
        (local.set $acc
          (i32x4.add
            (i32x4.add
              (i32x4.mul (v128.load16x4_u offset=0 (local.get $p))
                (i32x4.splat (i32.load offset=0 (local.get $wb))))
              (i32x4.mul (v128.load16x4_u offset=6 (local.get $p))
                (i32x4.splat (i32.load offset=4 (local.get $wb)))))
            (i32x4.add
              (i32x4.add
                (i32x4.mul (v128.load16x4_u offset=12 (local.get $p))
                  (i32x4.splat (i32.load offset=8 (local.get $wb))))
                (i32x4.mul (v128.load16x4_u offset=18 (local.get $p))
                  (i32x4.splat (i32.load offset=12 (local.get $wb)))))
              (i32x4.mul (v128.load16x4_u offset=24 (local.get $p))
                (i32x4.splat (i32.load offset=16 (local.get $wb)))))))
        (i32.store8 (local.get $q)
          (i32.load8_u (i32.add (local.get $round) (i32x4.extract_lane 0 (local.get $acc)))))
        (i32.store8 (i32.add (local.get $q) (local.get $channelStep))
          (i32.load8_u (i32.add (local.get $round) (i32x4.extract_lane 1 (local.get $acc)))))
        (i32.store8 (i32.add (local.get $q) (i32.shl (local.get $channelStep) (i32.const 1)))
          (i32.load8_u (i32.add (local.get $round) (i32x4.extract_lane 2 (local.get $acc)))))
        (local.set $q (i32.add (local.get $q) (local.get $pixelStep)))
        (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
        (br_if $pixels (i32.lt_u (local.get $ox) (local.get $dst))))

      (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
      (br_if $rows (i32.lt_u (local.get $oy) (local.get $dst))))))
