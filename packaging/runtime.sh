#!/bin/sh
# A Java runtime holding only the modules an app needs, made by jlink from the JDK running the
# build. The relay's and agent's images run on it, and so does the client archive.
#
#   packaging/runtime.sh MODULES RUNTIME_DIR [ROOT_DIR]
#
# MODULES: comma-separated, from each app's pom.xml (runtime.modules): what
#   jdeps --print-module-deps --ignore-missing-deps --multi-release 17 -q <app>-runnable.jar
# prints, plus jdk.crypto.ec (the EC cipher suites' provider, which no class names). ROOT_DIR: also copy the
# shared libraries the runtime loads (as ldd lists them, with the dynamic loader) under ROOT_DIR at
# their own paths, and add /etc/passwd, /etc/group and /tmp: the images start FROM scratch, since
# the build reaches no container registry (docs/deploy.md).
set -eu
modules=$1
runtime=$2
root=${3:-}
jdk=${JAVA_HOME:?JAVA_HOME must name the JDK to link from}

rm -rf "$runtime"
mkdir -p "$(dirname "$runtime")"
# RUNTIME_CDS=yes adds the JDK's default class-data archive, which saves the client a part of its
# start-up. Not in the images: the archive differs at every build, and so would the image layer
# that holds the runtime, which should stay the same from one release to the next.
cds=""
[ "${RUNTIME_CDS:-}" = yes ] && cds=--generate-cds-archive
# No --compress: the image layer and the client archive are gzipped anyway, and gzip does better on
# the plain modules file (27 MB against 33 MB for the relay's runtime), and jlink is faster.
"$jdk/bin/jlink" --add-modules "$modules" --output "$runtime" \
  --strip-debug --no-header-files --no-man-pages $cds

# Debian's and Ubuntu's JDKs link lib/security/cacerts to the system store; jlink copies what the
# jmod holds, which may be empty there. Take the store the build's JDK uses.
if [ -s "$jdk/lib/security/cacerts" ]; then
  cp -L "$jdk/lib/security/cacerts" "$runtime/lib/security/cacerts"
fi

[ -n "$root" ] || exit 0
# Not the desktop's libraries (java.desktop is there for java.beans): AWT, fonts and sound are
# never loaded, and would bring X11 along. libgcc_s is loaded by glibc itself (dlopen, for thread
# cancellation), so ldd does not list it.
runtime=$(cd "$runtime" && pwd)
libs=$(ls "$runtime/bin/java" "$runtime"/lib/*.so "$runtime/lib/server/libjvm.so" \
  | grep -Ev '/lib(awt|jawt|fontmanager|jsound|splashscreen|lcms|javajpeg|mlib_image)' \
  | xargs ldd | awk '/=> \// { print $3 } /^\t\/.*ld-linux/ { print $1 }' \
  | grep -v "^$runtime/" | sort -u)
gcc_s=$(ldconfig -p | awk '/libgcc_s.so.1 .*x86-64|libgcc_s.so.1 .*AArch64/ { print $NF; exit }')
for lib in $libs $gcc_s; do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
mkdir -p "$root/etc" "$root/tmp"
echo "root:x:0:0:root:/root:/sbin/nologin" >"$root/etc/passwd"
echo "clusterconnect:x:10001:10001:clusterconnect:/nonexistent:/sbin/nologin" >>"$root/etc/passwd"
printf 'root:x:0:\nclusterconnect:x:10001:\n' >"$root/etc/group"
