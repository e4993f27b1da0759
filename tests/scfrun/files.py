# tests/scfrun/files.py - an interpreter's file work under scf-run:
# write files, list the directories, read them back, stat, remove.
# Prints what it saw; the test compares it with the native run's.
#   files.py [DIR]   (default: the working directory)
import hashlib
import os
import sys

if len(sys.argv) > 1:
    os.chdir(sys.argv[1])

os.makedirs("out/sub", exist_ok=True)
for i in range(20):
    with open("out/f%02d.txt" % i, "w") as f:
        f.write("line %d\n" % i * (i + 1))
with open("out/sub/bin", "wb") as f:
    f.write(bytes(range(256)) * 64)
with open("out/f00.txt") as src, open("out/sub/copy.txt", "w") as dst:
    dst.write(src.read())
h = hashlib.sha256()
for root, dirs, files in os.walk("out"):
    dirs.sort()
    for name in sorted(files):
        p = os.path.join(root, name)
        with open(p, "rb") as f:
            data = f.read()
        h.update(data)
        print(p, len(data), os.stat(p).st_size)
print("sha256", h.hexdigest())
for root, dirs, files in os.walk("out", topdown=False):
    for name in files:
        os.remove(os.path.join(root, name))
    os.rmdir(root)
print("left", os.path.exists("out"))
