"""Assembles docs/benchmarks.md from the per-area benchmark pages (docs/bench-*.md)."""
import os,re
os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'docs'))
parts=[('bench-store.md','Store: insert + read of content with 3 variations (issue 2)'),
       ('bench-text.md','Text engine: thread splitting and measuring (issue 3)'),
       ('bench-llm.md','LLM layer: SDK overhead per call and memory (issue 4)'),
       ('bench-features.md','Text features vs textstat + vaderSentiment (issue 6)'),
       ('bench-xgb.md','XGBoost scoring vs Python xgboost (issue 6)'),
       ('bench-vector.md','Vector search vs NumPy (issue 7)'),
       ('bench-scheduler.md','Scheduler: claimed-and-completed jobs/s (issue 8)'),
       ('bench-bindings.md','Binding overhead: Python vs Rust batch scoring (issue 9)'),
       ('bench-rest.md','REST example under load (issue 10)')]
out=['# Benchmarks','','Every figure below was measured on this project\'s machine (2 shared vCPUs, often loaded by',
'parallel builds, so absolute numbers are upper bounds) with the named peer in the same run. Each',
'section is copied from the per-area page beside this file, which also says how to reproduce it.','']
for f,title in parts:
    if not os.path.exists(f): continue
    body=open(f).read().strip().split('\n')
    if body and body[0].startswith('# '): body=body[1:]
    res=[];fence=False
    for l in body:
        if l.startswith('```'): fence=not fence
        res.append('#'+l if (l.startswith('#') and not fence) else l)
    body=res
    out+=['## '+title,'',f'(from `docs/{f}`)','']+body+['']
open('benchmarks.md','w').write('\n'.join(out))
print('ok', sum(1 for f,_ in parts if os.path.exists(f)))
