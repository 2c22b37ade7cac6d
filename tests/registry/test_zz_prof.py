import cProfile, pstats, io
from zhucun.registry.imports import import_file
from zhucun.registry.imports.samples import write_cadre_xlsx

def test_prof(world, tmp_path):
    path = tmp_path / "c.xlsx"
    import time; t=time.time()
    write_cadre_xlsx(path, 5000, unit_name="德宏州农业农村局", seed=7)
    print("write", time.time()-t)
    pr = cProfile.Profile(); pr.enable()
    with path.open("rb") as f:
        r = import_file(actor=world.admin, kind="cadres", fileobj=f, filename="c.xlsx")
    pr.disable()
    assert r.ok
    s = io.StringIO(); pstats.Stats(pr, stream=s).sort_stats("cumulative").print_stats(35); print(s.getvalue()[:9000])
