"""Reference for bench/compress: the copy a data person would write with h5py — every dataset
chunk by chunk into SHUF+GZIP=4 (no verification). usage: h5pyRepack.py SRC DST; prints seconds."""
import h5py, hdf5plugin, sys, time
src, dst = sys.argv[1], sys.argv[2]
t=time.perf_counter()
with h5py.File(src) as s, h5py.File(dst, "w") as d:
    def copy(name, obj):
        if isinstance(obj, h5py.Group):
            g = d.require_group(name); g.attrs.update(obj.attrs)
        else:
            ds = d.create_dataset(name, shape=obj.shape, dtype=obj.dtype, maxshape=obj.maxshape,
                                  chunks=obj.chunks if obj.chunks else None,
                                  compression="gzip", compression_opts=4, shuffle=True)
            ds.attrs.update(obj.attrs)
            step = obj.chunks[0] if obj.chunks else max(1, len(obj))
            for i in range(0, obj.shape[0] if obj.shape else 1, step):
                ds[i:i+step] = obj[i:i+step]
    d.attrs.update(s.attrs)
    s.visititems(copy)
print(f"{time.perf_counter()-t:.2f}")
