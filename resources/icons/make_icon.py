#!/usr/bin/env python3
# Writes lathe.svg (the application icon) beside this script. The PNG used as
# the window icon (Qt here has no SVG plugin) comes from it:
#   rsvg-convert -w 256 -h 256 lathe.svg -o lathe-256.png
import math
def smooth(a,b,t):  # smoothstep blend
    t=max(0,min(1,t)); t=t*t*(3-2*t); return a+(b-a)*t
def bump(x,c,w,h):
    d=(x-c)/w
    return h*math.sqrt(max(0,1-d*d))
# profile radius r(x) for x in [44, 212]
def r(x):
    if x<54: return 11
    if x<56: return 24
    if x<76: return 24+bump(x,66,10,8)
    if x<80: return 22
    if x<108: return 30-12*math.sin(math.pi*(x-80)/28)
    if x<112: return 30
    if x<120: return 20
    if x<186:
        t=(x-120)/66
        return 20+30*math.sin(math.pi*t)**1.2*(1-0.3*t)
    if x<190: return 20
    if x<204: return 18+bump(x,197,7,9)
    return 11
xs=[44+i*0.5 for i in range(int((212-44)/0.5)+1)]
cy=128
top=" ".join(f"{x:.1f},{cy-r(x):.2f}" for x in xs)
bot=" ".join(f"{x:.1f},{cy+r(x):.2f}" for x in reversed(xs))
path=f"M{top} L{bot} Z"
svg=f'''<?xml version="1.0" encoding="UTF-8"?>
<!-- Lathe application icon: a turned spindle between centers. Drawn for the
     Lathe project; generated profile, hand-tuned colours. CC0. -->
<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">
  <defs>
    <linearGradient id="bg" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#34506b"/>
      <stop offset="1" stop-color="#1d2e40"/>
    </linearGradient>
    <linearGradient id="wood" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#f6d7a2"/>
      <stop offset="0.28" stop-color="#f2c27a"/>
      <stop offset="0.62" stop-color="#c98a3e"/>
      <stop offset="1" stop-color="#7d4f1f"/>
    </linearGradient>
    <linearGradient id="steel" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#e9eef3"/>
      <stop offset="0.5" stop-color="#aab6c2"/>
      <stop offset="1" stop-color="#66737f"/>
    </linearGradient>
  </defs>
  <rect x="8" y="8" width="240" height="240" rx="44" fill="url(#bg)"/>
  <path d="M24 128 H232" stroke="#8fb3d4" stroke-width="2" stroke-dasharray="6 5" opacity="0.55"/>
  <!-- headstock spur and tailstock centre -->
  <path d="M18 104 H36 L46 128 L36 152 H18 Z" fill="url(#steel)"/>
  <path d="M238 108 H222 L208 128 L222 148 H238 Z" fill="url(#steel)"/>
  <path d="{path}" fill="url(#wood)" stroke="#5c3812" stroke-width="1.5" stroke-linejoin="round"/>
  <!-- tool rest and gouge -->
  <path d="M104 206 H196" stroke="#c7d2dc" stroke-width="7" stroke-linecap="round"/>
  <path d="M151 180 L168 206" stroke="url(#steel)" stroke-width="7" stroke-linecap="round"/>
  <path d="M168 206 L182 228" stroke="#8a5a2b" stroke-width="12" stroke-linecap="round"/>
</svg>
'''
import os
here = os.path.dirname(os.path.abspath(__file__))
open(os.path.join(here, "lathe.svg"), "w").write(svg)
