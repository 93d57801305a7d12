"""Exercise pictures in both colour schemes, and every piece of equipment drawn (issue 13 item 6)."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from backstride.core.figures import PROPS, drawing, equipment, joint_positions, pose_from_mapping
from backstride.core.figures.scene import build_scene
from backstride.knowledge.exercises import EQUIPMENT, exercises

SVG = "{http://www.w3.org/2000/svg}"
CSS = Path(drawing.__file__).parents[2] / "web/static/css/backstride.css"
PAINT_ATTRIBUTES = ("fill", "stroke", "color", "stop-color", "flood-color", "lighting-color")
STANDING = {
    "trunk": 90,
    "head": 90,
    "near_arm": [-90, -90],
    "far_arm": [-90, -90],
    "near_leg": [-90, -90, 0],
    "far_leg": [-90, -90, 0],
}


def pictures(item) -> dict[str, str]:
    start, end = item.pose_start, item.pose_end
    return {
        "thumbnail": drawing.render_thumbnail(start),
        "pair": drawing.render_body_pair(start, end, item.name),
        "stacked": drawing.render_body_pair(start, end, item.name, width=360, height=270, stacked=True),
        "motion": drawing.render_motion(start, end, item.name),
    }


def classes(el: ET.Element) -> set[str]:
    return set(el.attrib.get("class", "").split())


# --------------------------------------------------------------------------- colours from the scheme


@pytest.mark.parametrize("exercise_id", sorted(exercises()))
def test_pictures_carry_no_colour_of_their_own(exercise_id):
    """Every colour comes from the stylesheet's fig-* classes (light and dark tokens): the SVG paints
    only currentColor or none, and every painted element (or its group) names a paint class."""
    for kind, svg in pictures(exercises()[exercise_id]).items():
        assert not re.search(r"#[0-9a-fA-F]{3,8}\b|rgba?\(|hsla?\(|style=", svg), kind
        root = ET.fromstring(svg)
        parents = {child: parent for parent in root.iter() for child in parent}
        for el in root.iter():
            for name in PAINT_ATTRIBUTES:
                value = el.attrib.get(name)
                assert value in (None, "none", "currentColor"), (kind, el.tag, name, value)
            if el.attrib.get("fill", "none") != "none" or el.attrib.get("stroke", "none") != "none":
                owner = el if classes(el) & set(drawing.PAINTS) else parents.get(el)
                assert owner is not None and classes(owner) & set(drawing.PAINTS), (kind, el.tag, el.attrib)


def _block(css: str, opening: str) -> str:
    start = css.index(opening)
    depth = 0
    for end in range(css.index("{", start), len(css)):
        depth += {"{": 1, "}": -1}.get(css[end], 0)
        if depth == 0:
            return css[start : end + 1]
    raise AssertionError(f"{opening} is not closed")


def test_every_paint_class_has_a_token_in_light_and_in_dark():
    css = CSS.read_text()
    section = css[css.index("/* ---------- Exercise figures") :]
    light = _block(section, ":root {")
    dark = _block(section, "@media (prefers-color-scheme: dark) {")
    page_dark = _block(css, "@media (prefers-color-scheme: dark) {")  # the page's own tokens
    for name in drawing.PAINTS:
        rules = re.findall(rf"\.bs-body [^{{]*\.{name}\b[^{{]*\{{([^}}]*)\}}", section)
        assert rules, f"no rule paints .{name}"
        for token in set(re.findall(r"var\((--[\w-]+)\)", "".join(rules))):
            assert f"{token}:" in light, (name, token)
            value = re.search(rf"{token}:\s*([^;]+);", light)
            assert value is not None
            page_token = re.fullmatch(r"var\((--[\w-]+)\)", value.group(1).strip())
            if page_token:  # a page token (--ink, --muted, --surface) already follows the scheme
                assert f"{page_token.group(1)}:" in page_dark, (name, token)
            else:  # a colour of the figures' own: it needs its dark value
                assert f"{token}:" in dark, (name, token)


def test_the_outline_is_the_page_ink_so_it_shows_on_dark_paper():
    css = CSS.read_text()
    section = css[css.index("/* ---------- Exercise figures") :]
    light = _block(section, ":root {")
    assert "--fig-line: var(--ink)" in light and "--fig-paper: var(--surface)" in light
    assert "--fig-line:" not in _block(section, "@media (prefers-color-scheme: dark) {")


# --------------------------------------------------------------------------- every piece of equipment drawn


def test_every_equipment_value_in_the_library_has_a_drawing():
    """Fails when exercises.yaml names a piece of equipment the figures cannot draw."""
    used = {name for item in exercises().values() for name in item.equipment}
    assert used <= set(equipment.EQUIPMENT_PROPS), sorted(used - set(equipment.EQUIPMENT_PROPS))
    assert set(EQUIPMENT) <= set(equipment.EQUIPMENT_PROPS)  # every value the schema allows, too
    bare = build_scene(pose_from_mapping(STANDING))
    for name in sorted(used | set(EQUIPMENT)):
        prop = equipment.EQUIPMENT_PROPS[name]
        if prop is None:
            continue
        assert prop in PROPS, (name, prop)
        scene = build_scene(pose_from_mapping({**STANDING, "props": [prop]}))
        drawn = len(scene.back) + len(scene.front)
        assert drawn > len(bare.back) + len(bare.front), f"{name} ({prop}) is not drawn"
        svg = drawing.render_thumbnail(pose_from_mapping({**STANDING, "props": [prop]}))
        assert 'class="props' in svg, name


@pytest.mark.parametrize("exercise_id", sorted(exercises()))
def test_each_exercise_draws_its_equipment(exercise_id):
    item = exercises()[exercise_id]
    if "none" in item.equipment:  # the equipment is optional
        return
    wanted = {equipment.EQUIPMENT_PROPS[name] for name in item.equipment} - {None}
    for pose in (item.pose_start, item.pose_end):
        assert wanted & set(pose.props), (exercise_id, item.equipment, pose.props)


def _joints(pose):
    return joint_positions(pose)


def test_the_rider_sits_on_the_saddle_with_the_feet_on_the_pedals():
    item = exercises()["cycling"]
    for pose in (item.pose_start, item.pose_end):
        scene = build_scene(pose)
        joints = _joints(pose)
        roles = {shape.role: shape for shape in scene.back}
        saddle = next(s for s in scene.back if s.role == "saddle")
        assert saddle.points[0][0] < joints["hip"][0] < saddle.points[1][0]  # under the hips
        assert -12 < saddle.points[0][1] - joints["hip"][1] < 0
        crank = roles["crank"]
        for side in ("near", "far"):
            ankle, toe = joints[f"{side}_ankle"], joints[f"{side}_toe"]
            ball = (ankle[0] + 0.6 * (toe[0] - ankle[0]), ankle[1] + 0.6 * (toe[1] - ankle[1]))
            assert min(math.dist(ball, end) for end in crank.points) < 1.5, side  # the foot on a pedal
        assert roles["base"].y0 == scene.ground  # the bike stands on the floor
        assert scene.ground < min(p[1] for p in joints.values())  # ... and holds the rider up
        grip = [s for s in scene.back if s.role == "saddle"][1]
        assert math.dist(grip.points[1], joints["near_wrist"]) < 6  # the bar in the hand


def test_the_bike_stands_still_while_the_pedals_turn():
    item = exercises()["cycling"]
    svg = drawing.render_motion(item.pose_start, item.pose_end, item.name)
    root = ET.fromstring(svg)
    (props,) = [g for g in root.iter(f"{SVG}g") if classes(g) == {"props"}]
    moving = [el for el in props if el.find(f"{SVG}animate") is not None]
    assert moving and all(el.attrib["class"] == "fig-iron" for el in moving)  # the crank and pedals
    assert len(moving) == 3 and len(props) > 10


def test_the_swimmer_floats_in_the_water_and_the_walker_stands_in_it():
    item = exercises()["swimming"]
    for pose in (item.pose_start, item.pose_end):
        scene = build_scene(pose)
        joints = _joints(pose)
        (water,) = [s for s in scene.back if s.role == "water"]
        (over,) = [s for s in scene.front if s.role == "water_front"]
        assert (water.x0, water.y0, water.x1, water.y1) == (over.x0, over.y0, over.x1, over.y1)
        assert water.y0 == scene.ground < min(p[1] for p in joints.values()) - 5  # floating
        assert joints["hip"][1] < water.y1 < joints["hip"][1] + 12  # the back at the surface
        assert water.x0 < min(p[0] for p in joints.values()) and water.x1 > joints["head"][0]
    wading = build_scene(pose_from_mapping({**STANDING, "props": ["pool"]}))
    joints = _joints(pose_from_mapping(STANDING))
    (water,) = [s for s in wading.back if s.role == "water"]
    assert wading.ground == pytest.approx(min(p[1] for p in joints.values()))  # feet on the floor
    assert joints["hip"][1] < water.y1 < joints["shoulder"][1]  # chest deep


def test_the_stick_figure_draws_the_bike_and_the_pool_too():
    from backstride.core.figures import render_svg

    for prop in ("bike", "pool"):
        svg = render_svg(pose_from_mapping({**STANDING, "props": [prop]}), prop)
        assert len(ET.fromstring(svg).find(f"{SVG}g")) >= (9 if prop == "bike" else 1)


# --------------------------------------------------------------------------- resting, not sinking


@pytest.mark.parametrize("exercise_id", sorted(exercises()))
def test_no_part_of_the_body_goes_through_the_floor(exercise_id):
    """The body has thickness round its bones: a hip on the floor rests its buttocks on it."""
    item = exercises()[exercise_id]
    for pose in (item.pose_start, item.pose_end):
        if pose.view == "above":  # no floor in the picture
            continue
        root = ET.fromstring(drawing.render_thumbnail(pose))
        (floor,) = [el for el in root.iter(f"{SVG}line") if "fig-ground" in classes(el)]
        ground = float(floor.attrib["y1"])
        (fig,) = [g for g in root.iter(f"{SVG}g") if classes(g) == {"figure"}]
        for el in fig:
            if "fig-line" in classes(el):
                continue  # the outline round each part may touch the floor line
            if el.tag == f"{SVG}circle":
                lowest = float(el.attrib["cy"]) + float(el.attrib["r"])
            else:
                ys = [float(pair.split(",")[1]) for pair in el.attrib["points"].split()]
                lowest = max(ys) + float(el.attrib["stroke-width"]) / 2
            assert lowest <= ground + 0.3, (exercise_id, el.attrib.get("class"), lowest, ground)


def test_a_seated_body_rests_on_the_bench_top():
    from backstride.core.figures.body import body_layers, rest_on, supports_of

    pose = exercises()["pelvic-floor-training"].pose_start
    scene = build_scene(pose)
    (bench,) = [s for s in scene.back if s.role == "prop"]
    flats, rounds = supports_of(scene)
    assert (bench.x0, bench.x1, bench.y1) in flats
    layers = rest_on(body_layers(pose), flats, rounds)
    parts = {getattr(part, "name", "head"): part for layer in layers for part in layer}
    torso = parts["torso"]
    hip = min(torso.points, key=lambda p: p[1])
    assert hip[1] - torso.width / 2 == pytest.approx(bench.y1)  # the buttocks on the bench, not in it


def _view_box(svg: str) -> tuple[float, float, float, float]:
    x, y, w, h = (float(v) for v in ET.fromstring(svg).attrib["viewBox"].split())
    return x, y, w, h


@pytest.mark.parametrize("exercise_id", sorted(exercises()))
def test_a_figure_lying_down_leaves_no_empty_rows_and_nothing_is_cut_off(exercise_id):
    item = exercises()[exercise_id]
    for svg in (
        drawing.render_motion(item.pose_start, item.pose_end, item.name),
        drawing.render_body_pair(item.pose_start, item.pose_end, item.name),
    ):
        _, top, _, height = _view_box(svg)
        root = ET.fromstring(svg)
        assert root.attrib["height"] == f"{height:g}"
        for el in root.iter():
            a = el.attrib
            ys = [float(pair.split(",")[1]) for pair in a.get("points", "").split()]
            ys += [float(a[key]) for key in ("y1", "y2") if key in a]
            if "cy" in a:
                ys += [float(a["cy"]) - float(a["r"]), float(a["cy"]) + float(a["r"])]
            if el.tag == f"{SVG}rect":
                ys += [float(a["y"]), float(a["y"]) + float(a["height"])]
            assert all(top - 0.1 <= y <= top + height + 0.1 for y in ys), (el.tag, a, top, height)
    lying = _view_box(drawing.render_motion(*_poses("glute-bridge"), "x"))
    standing = _view_box(drawing.render_motion(*_poses("squats"), "x"))
    assert standing[3] > 240 and lying[3] < 150  # one scale: only the empty rows go


def _poses(exercise_id: str):
    item = exercises()[exercise_id]
    return item.pose_start, item.pose_end
