# The environment of every JVM the project starts: sourced by ./lab, bench/run and scripts/java
# (the JVM the tests fork). Native libraries read it once, when they load, so it is set before
# the JVM starts.
#
# OpenBLAS's pthreads busy-wait while libnd4j's OpenMP threads run the elementwise ops, and on 2
# cores every small op then costs milliseconds: both are told to yield (a value already set wins).
export OPENBLAS_THREAD_TIMEOUT="${OPENBLAS_THREAD_TIMEOUT:-4}"
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
# Which OpenBLAS kernels run. The OpenBLAS that ND4J was built against (0.3.19) predates AMD's
# AVX-512 processors: left to itself it runs its SSE (Barcelona) kernels on them, at a quarter of
# the gemm speed, and an environment that names Haswell gets half. The 0.3.31 the project declares
# picks Cooperlake by itself on this machine; naming the kernels keeps them the same across
# versions and machines (the default run's weights are bit for bit those of 0.3.19 under the same
# name; its eigenvalues differ in their last digits). The project chooses by the processor's
# features instead: SkylakeX (AVX-512) when it has every AVX-512 subset those kernels use, Haswell
# (AVX2) when it has AVX2 and FMA, otherwise whatever OpenBLAS or the environment chooses. The
# kernels decide the last bits of every result, so the run's manifest records the ones in use;
# LAB_OPENBLAS_CORETYPE pins others (e.g. Haswell, to continue a run trained under them bit for bit).
if [ -n "${LAB_OPENBLAS_CORETYPE:-}" ]; then
  export OPENBLAS_CORETYPE="$LAB_OPENBLAS_CORETYPE"
elif [ "$(uname -m)" = x86_64 ] && [ -r /proc/cpuinfo ]; then
  lab_flags=" $(grep -m1 '^flags' /proc/cpuinfo) "
  lab_has() { for f in "$@"; do case "$lab_flags" in *" $f "*) ;; *) return 1 ;; esac; done; }
  if lab_has avx512f avx512cd avx512bw avx512dq avx512vl; then
    export OPENBLAS_CORETYPE=SkylakeX
  elif lab_has avx2 fma; then
    export OPENBLAS_CORETYPE=Haswell
  fi
  unset -f lab_has
  unset lab_flags
fi
